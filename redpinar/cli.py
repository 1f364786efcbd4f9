"""Commands for the operator: `flask --app app COMMAND`."""
import os
import sys
import time
from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from . import province
from .sitecopy.export import DEFAULT_NEWS_MONTHS, ExportError, Limits, export_site
from .store import InvalidName, StoreCorrupt, StoreWriteError
from .store.backup import BackupError, BadBackup, default_backup_name, restore_backup, write_backup
from .store.check import check_data_folder
from .store.demo import demo_provinces, load_demo, load_demo_if_empty
from .store.drafts import KEEP_DAYS as DRAFT_KEEP_DAYS
from .store.drafts import forget_expired_drafts
from .store.examples import remove_examples
from .store.appointment_upkeep import anonymise_appointments_before, remove_example_appointments
from .store.privacy import anonymise_older_than
from .store.site import load_site
from .store import audit
from .store.throttle import unlock as unlock_logins
from .store.users import WeakPassword, create_admin, get_user


def _record(action, **details):
    """Record a command in the activity log; a log that cannot be written is reported, the command stands."""
    try:
        audit.record(audit.COMMAND_LINE, action, **details)
    except (StoreWriteError, StoreCorrupt) as error:
        click.echo(f"warning: the activity log could not record this command: {error}", err=True)


@click.command("check")
@with_appcontext
def check_command():
    """Validate the data folder and the theme; exit status 1 when something is wrong."""
    problems, warnings = check_data_folder(province.startup_problems(current_app))
    # Files of online requests: every file a request names is whole; leftovers of a crash are swept.
    from .store.request_files import missing_request_files, sweep_request_files
    problems += missing_request_files()
    swept = sweep_request_files()
    if swept:
        warnings.append(f"removed {swept} request file(s) no request or draft names (left by an interrupted send)")
    for warning in warnings:
        click.echo(f"warning: {warning}")
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {current_app.config['DATA_DIR']}", err=True)
        sys.exit(1)
    click.echo(f"The data folder {current_app.config['DATA_DIR']} is valid.")


@click.command("load-demo")
@with_appcontext
@click.option("--province", default="pinar-del-rio", show_default=True, help="Which example province.")
@click.option("--if-empty", is_flag=True, help="Do nothing when a province is already loaded.")
def load_demo_command(province, if_empty):
    """Load an example province into the data folder."""
    try:
        if if_empty:
            loaded = load_demo_if_empty(province)
        else:
            from .store.site import site_exists
            if site_exists():
                raise click.ClickException(
                    "the data folder already holds a province; use an empty folder or --if-empty")
            load_demo(province)
            loaded = True
    except (InvalidName, StoreCorrupt, StoreWriteError) as error:
        raise click.ClickException(str(error)) from error
    if loaded:
        click.echo(f"Loaded the example province {province!r} into {current_app.config['DATA_DIR']}.")
    else:
        click.echo("A province is already loaded; nothing changed.")


@click.command("list-demos")
@with_appcontext
def list_demos_command():
    """List the example provinces that load-demo knows."""
    for example in demo_provinces():
        click.echo(example)


@click.command("create-admin")
@with_appcontext
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_admin_command(username, password_stdin):
    """Create a webmaster account (or set a new password for it)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    existed = get_user(username) is not None
    try:
        create_admin(username, password)
    except (InvalidName, WeakPassword, StoreWriteError) as error:
        raise click.ClickException(str(error)) from error
    _record("admin-password-set" if existed else "admin-created", target=username)
    if existed:
        click.echo(f"New password set for {username!r}; every open session of that account has ended.")
    click.echo(f"The webmaster {username!r} can now log in at /admin/login.")


@click.command("unlock-logins")
@with_appcontext
@click.option("--address", help="Only this address (as shown in the activity log); otherwise every address.")
def unlock_logins_command(address):
    """Forget failed password attempts, so that a slowed-down address may log in at once."""
    try:
        removed = unlock_logins(address.strip() if address else None)
        audit.record(audit.COMMAND_LINE, "logins-unlocked", target=address or audit.EVERY_ADDRESS,
                     detail=f"{removed} count(s) removed")
    except StoreWriteError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Failed logins forgotten for {address or 'every address'} ({removed} count(s) removed).")


@click.command("purge")
@with_appcontext
@click.option("--examples", is_flag=True,
              help="Only remove the example messages shipped with an example province, and nothing else.")
def purge_command(examples):
    """Anonymise submissions older than the retention period of site.json; remove expired drafts."""
    if examples:
        _purge_examples()
        return
    days = load_site().get("retention_days", 1825)
    cutoff = (date.today() - timedelta(days=days)).isoformat()
    try:
        count = anonymise_older_than(cutoff)
        drafts = forget_expired_drafts()
        from .store.request_files import remove_file, sweep_request_files
        from .store.requests import anonymise_requests_older_than
        requests = anonymise_requests_older_than(cutoff, remove_file)
        sweep_request_files()
        appointments = anonymise_appointments_before(cutoff)
    except (StoreWriteError, StoreCorrupt) as error:
        raise click.ClickException(str(error)) from error
    _record("purge", facts={"before": cutoff, "anonymised": count, "drafts": drafts})
    click.echo(f"Anonymised {count} submission(s) received before {cutoff} ({days} days).")
    click.echo(f"Anonymised {appointments} appointment(s) on days before {cutoff}.")
    click.echo(f"Removed {drafts} draft(s) not saved for {DRAFT_KEEP_DAYS} days.")
    click.echo(f"Removed the answers and files of {requests} online request(s) received before {cutoff}.")


def _purge_examples():
    """Remove the example messages (and the questions published from them); recorded in the audit log."""
    try:
        removed = remove_examples()
        removed_appointments = remove_example_appointments()
        audit.record("command line", "examples-purged", target="example messages",
                     detail=f"{removed} example message(s) removed")
    except (StoreWriteError, StoreCorrupt) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Removed {removed} example message(s) and the questions published from them; "
               "messages from citizens were not touched.")
    click.echo(f"Removed {removed_appointments} example appointment(s); citizens' appointments were not touched.")


@click.command("send-reminders")
@with_appcontext
def send_reminders_command():
    """Email tomorrow's appointments a reminder, once each (for cron or a systemd timer)."""
    from .services.reminders import remind_tomorrow
    try:
        result = remind_tomorrow()
    except (StoreWriteError, StoreCorrupt) as error:
        raise click.ClickException(str(error)) from error
    if result is None:
        click.echo("No SMTP server is configured: no reminder sent.")
        return
    sent, failed = result
    click.echo(f"Sent {sent} reminder(s); {failed} could not be sent (tried again on the next run).")


# Below this many files a backup takes well under a second and needs no progress line.
PROGRESS_FROM_FILES = 500


def _size(size):
    """A size in bytes as people read it: '482.6 KB'."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024


def _progress_line():
    """progress(done, total) for large backups: one line rewritten on a terminal, a line every few seconds in a log."""
    on_terminal = sys.stderr.isatty()
    every = 0.25 if on_terminal else 5.0
    last_shown = [None]

    def progress(done, total):
        if total < PROGRESS_FROM_FILES:
            return
        now = time.monotonic()
        if done < total and last_shown[0] is not None and now - last_shown[0] < every:
            return
        last_shown[0] = now
        line = f"Backing up: {done}/{total} files and folders"
        if on_terminal:
            click.echo("\r" + line, nl=done == total, err=True)
        else:
            click.echo(line, err=True)
    return progress


@click.command("backup")
@with_appcontext
@click.argument("path", required=False, type=click.Path(dir_okay=True, writable=True))
def backup_command(path):
    """Write a .tar.gz of the data folder; safe while the server runs."""
    try:
        backup = write_backup(path or default_backup_name(), progress=_progress_line())
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    _record("backup-written", facts={"path": os.path.abspath(backup.path)})
    click.echo(f"Backup written to {backup.path} ({_size(backup.size)}, {backup.files} files).")
    click.echo("It holds personal data and the secret key: keep it private (it is mode 0600).")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def restore_command(path):
    """Replace the data folder by a backup, keeping the previous folder beside it."""
    try:
        restored = restore_backup(path)
    except BadBackup as error:
        raise click.ClickException(f"the backup is refused and nothing changed: {error}") from error
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    # Written into the restored folder: the log the server now serves says the restore happened.
    _record("backup-restored", facts={"path": os.path.abspath(path)})
    click.echo(f"Restored {restored.files} files from {os.path.abspath(path)} into {restored.data_folder}.")
    if restored.previous_folder:
        click.echo(f"The previous data folder was kept as {restored.previous_folder}.")
    click.echo("Restart the server so that it serves the restored data.")


@click.command("export-site")
@with_appcontext
@click.argument("destination", type=click.Path(dir_okay=True, file_okay=True))
@click.option("--offline", is_flag=True,
              help="Write a .zip with relative links that opens from a USB stick, without a server.")
@click.option("--news-months", type=click.IntRange(0, 1200), default=DEFAULT_NEWS_MONTHS, show_default=True,
              help="How many months of news the copy holds.")
@click.option("--max-files", type=click.IntRange(1), default=Limits().files, show_default=True,
              help="Stop with an error beyond this many pages and files.")
@click.option("--max-mb", type=click.IntRange(1), default=Limits().megabytes, show_default=True,
              help="Stop with an error beyond this many megabytes.")
def export_site_command(destination, offline, news_months, max_files, max_mb):
    """Copy every public page, in every language, into a new folder (a static mirror) or a zip (--offline)."""
    try:
        exported = export_site(destination, offline=offline, news_months=news_months,
                               limits=Limits(max_files, max_mb))
    except ExportError as error:
        raise click.ClickException(str(error)) from error
    for found_on, path, status in exported.broken_links:
        click.echo(f"warning: {found_on} links to {path}, which answers {status}", err=True)
    click.echo(f"{exported.pages} pages and {exported.files - exported.pages} other files ({_size(exported.size)}) "
               f"copied in {exported.seconds:.1f} s; languages: {', '.join(exported.languages)}.")
    if offline:
        click.echo(f"Offline copy written to {destination}: {_size(exported.zip_size)}. "
                   "Unzip it and open index.html; no server or connection is needed.")
    else:
        click.echo(f"Static mirror written to {destination}; any web server can serve it read-only.")


def init_app(app):
    """Register the commands."""
    for command in (check_command, load_demo_command, list_demos_command, create_admin_command, purge_command,
                    backup_command, restore_command, unlock_logins_command, export_site_command,
                    send_reminders_command):
        app.cli.add_command(command)

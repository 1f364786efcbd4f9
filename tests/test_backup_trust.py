"""A backup carries data, never code: sandboxed templates, bounded sizes, modes set by the restore."""
import os
import stat
import tarfile
import zlib

import pytest
from flask import render_template_string

from redpinar.store.backup import BadBackup, restore_backup
from tests.conftest import make_app
from tests.test_backup import backup_of, entry, folder_state, rewritten
from tests.test_pages import page_text

SECRET = "clave-del-entorno-que-nadie-debe-ver-0123456789"
# What a hostile theme template tries: run a command, read the settings, walk to Python's internals.
ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ config.SECRET_KEY }}{{ config }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ url_for.__globals__['current_app'].config['SECRET_KEY'] }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
    "{{ request.application.__globals__.__builtins__.open('/etc/passwd').read() }}",
    "{{ namespace.__init__.__globals__.sys.modules.os.environ }}",
]


def with_theme_template(good, target, template):
    """The backup with a theme template overriding the home page's introduction."""
    member = tarfile.TarInfo("theme/templates/public/home_intro.html")
    return rewritten(good, target, extra=[(member, template.encode("utf-8"))])


def test_a_template_in_a_restored_backup_cannot_run_python_nor_read_the_settings(data_dir, tmp_path):
    app = make_app(data_dir, SECRET_KEY=SECRET)
    good = backup_of(app, tmp_path / "good.tar.gz").path
    template = "<p class='province-intro'>Portal restaurado</p>\n" + "\n".join(ESCAPES)
    hostile = with_theme_template(good, str(tmp_path / "theme.tar.gz"), template)
    result = app.test_cli_runner().invoke(args=["restore", hostile])
    assert result.exit_code == 0, result.output
    restarted = make_app(data_dir, province=None, SECRET_KEY=SECRET)
    response = restarted.test_client().get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Portal restaurado" in page_text(response)  # the template is used, its unsafe parts refused
    assert "uid=" not in html and SECRET not in html and "SECRET_KEY" not in html
    assert "root:" not in html and "subclass" not in html and "PATH" not in html


def test_the_shipped_templates_get_no_settings_object(app):
    with app.test_request_context("/"):
        app.preprocess_request()
        assert render_template_string("[{{ config }}]") == "[]"


def tar_header(name, size, mode=0o600):
    """The 512-byte header of a file member."""
    member = tarfile.TarInfo(name)
    member.size, member.mode = size, mode
    return member.tobuf(format=tarfile.GNU_FORMAT)


def zeros_archive(path, members, trailing_zeros=0):
    """A .tar.gz of files full of zeros, built without ever holding them: a gzip bomb.

    members: [(name, size)]. After a full flush, deflate writes the same bytes for every
    megabyte of zeros, so one compressed megabyte is repeated; only the CRC reads them all.
    """
    megabyte = bytes(1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros_block = deflate.compress(megabyte) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc, length = 0, 0
    with open(path, "wb") as archive:
        archive.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")  # gzip header, no name

        def data(payload):
            nonlocal crc, length
            archive.write(deflate.compress(payload) + deflate.flush(zlib.Z_FULL_FLUSH))
            crc, length = zlib.crc32(payload, crc), length + len(payload)

        def zeros(count):
            nonlocal crc, length
            whole, rest = divmod(count, len(megabyte))
            for _ in range(whole):
                archive.write(zeros_block)
                crc = zlib.crc32(megabyte, crc)
            length += whole * len(megabyte)
            if rest:
                data(bytes(rest))

        for name, size in members:
            data(tar_header(name, size))
            zeros(size + (-size % 512))
        zeros(1024 + trailing_zeros)  # the end-of-archive blocks, and whatever follows them
        archive.write(deflate.flush())
        archive.write(zlib.crc32(b"", crc).to_bytes(4, "little") + (length % 2**32).to_bytes(4, "little"))
    return path


def test_a_gzip_bomb_is_refused_before_anything_is_written(app, data_dir, tmp_path):
    bomb = zeros_archive(str(tmp_path / "bomb.tar.gz"), [("site.json", 2 * 10**9)])
    assert os.path.getsize(bomb) < 3 * 10**6
    before, siblings = folder_state(data_dir), sorted(os.listdir(tmp_path))
    result = app.test_cli_runner().invoke(args=["restore", bomb])
    assert result.exit_code == 1
    assert "the backup is refused and nothing changed: site.json: 1907 MB uncompressed" in result.output
    assert "REDPINAR_RESTORE_MAX_FILE_MB" in result.output
    assert folder_state(data_dir) == before and sorted(os.listdir(tmp_path)) == siblings


def test_an_archive_expanding_beyond_the_total_limit_is_refused_while_reading(data_dir, tmp_path):
    app = make_app(data_dir, RESTORE_MAX_TOTAL_BYTES=20 * 2**20)
    many = zeros_archive(str(tmp_path / "many.tar.gz"), [(f"uploads/{number}.bin", 3 * 2**20) for number in range(40)])
    before = folder_state(data_dir)
    with app.app_context(), pytest.raises(BadBackup, match="expands to more than 20 MB.*REDPINAR_RESTORE_MAX_TOTAL_MB"):
        restore_backup(many)
    assert folder_state(data_dir) == before


def test_zeros_after_the_end_of_the_archive_count_too(data_dir, tmp_path):
    app = make_app(data_dir, RESTORE_MAX_TOTAL_BYTES=20 * 2**20)
    trailing = zeros_archive(str(tmp_path / "trailing.tar.gz"), [("site.json", 10)], trailing_zeros=200 * 2**20)
    with app.app_context(), pytest.raises(BadBackup, match="expands to more than 20 MB"):
        restore_backup(trailing)


def test_restore_sets_private_modes_whatever_the_archive_says(app, data_dir, tmp_path):
    good = backup_of(app, tmp_path / "good.tar.gz").path
    loose = entry("uploads/tool.sh")
    loose.mode = 0o4777  # setuid and writable by everyone
    folder = entry("uploads/open", tarfile.DIRTYPE)
    folder.mode = 0o777
    nested = entry("uploads/open/file.txt")
    nested.mode = 0o666
    archive = rewritten(good, str(tmp_path / "modes.tar.gz"),
                        extra=[(loose, b"#!/bin/sh\nid\n"), (folder, None), (nested, b"text")])
    with app.app_context():
        restore_backup(archive)
    for path, expected in [("uploads/tool.sh", 0o600), ("uploads/open/file.txt", 0o600), ("site.json", 0o600),
                           ("uploads/open", 0o700), ("uploads", 0o700), ("content", 0o700)]:
        assert stat.S_IMODE(os.stat(data_dir / path).st_mode) == expected, path


NESTED = b'{"_default": {"1": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"


def test_deeply_nested_json_in_an_archive_gets_a_clear_refusal(app, runner, data_dir, tmp_path):
    good = backup_of(app, tmp_path / "good.tar.gz").path
    hostile = rewritten(good, str(tmp_path / "nested.tar.gz"), replace={"content/news.json": NESTED})
    before = folder_state(data_dir)
    result = runner.invoke(args=["restore", hostile])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "content/news.json: is not valid JSON (nested too deeply" in result.output
    assert "Traceback" not in result.output and folder_state(data_dir) == before


@pytest.mark.parametrize("name", ["content/news.json", "site.json", "users.json"])
def test_check_names_deeply_nested_json_without_a_traceback(app, runner, data_dir, name):
    (data_dir / name).write_bytes(NESTED)
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert f"{name}: is not valid JSON (nested too deeply" in result.output

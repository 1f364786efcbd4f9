"""The nginx site of deploy/nginx/redpinar.conf turned into a configuration that runs unprivileged in one folder.

The tests (tests/nginx_config.py) and the bench (bench/nginx.py) both start nginx from the deploy/ file
this way, so what they measure and check is the site a province installs.
"""
import os
import re
import shutil

from . import PROJECT_ROOT

SITE_TEMPLATE = os.path.join(PROJECT_ROOT, "deploy", "nginx", "redpinar.conf")
SETTING = re.compile(r"^(\s*).*#\s*SETTING\s+(\w+)\s*$")
# Debian puts nginx in /usr/sbin, which is not on an ordinary user's PATH.
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
CACHE_ON = "proxy_cache redpinar;"
CACHE_OFF = "proxy_cache off;"


def site_for(settings, template=SITE_TEMPLATE, keep_tls=False):
    """The site with TLS-only blocks dropped (unless keep_tls) and every "# SETTING name" line replaced by settings[name].

    A setting given as a list replaces the first line carrying its name; later lines with the name are dropped.
    """
    with open(template, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    output, done, in_tls = [], set(), False
    for line in lines:
        if line.strip() == "# BEGIN TLS ONLY":
            in_tls = not keep_tls
        elif line.strip() == "# END TLS ONLY":
            in_tls = False
        elif in_tls:
            continue
        else:
            match = SETTING.match(line)
            if not match or match.group(2) not in settings:
                output.append(line)
            elif match.group(2) not in done:
                done.add(match.group(2))
                value = settings[match.group(2)]
                for replacement in ([value] if isinstance(value, str) else value):
                    output.append(match.group(1) + replacement)
    unknown = set(settings) - done
    if unknown:
        raise ValueError(f"the template has no setting {sorted(unknown)}")
    return "\n".join(output) + "\n"


def unprivileged_configuration(folder, port, upstream_ports, settings=None, install_dir=PROJECT_ROOT,
                               access_log=True, cache=True):
    """Write nginx.conf into folder: the site on 127.0.0.1:port before the given ports, everything under folder.

    settings: more "# SETTING" replacements (they win over these); install_dir: where static/ and
    deploy/nginx/unavailable.html are served from; cache=False: the same site with its page cache off.
    Returns the path of nginx.conf.
    """
    folder = str(folder)
    chosen = {
        "upstreams": [f"server 127.0.0.1:{upstream} max_fails=1 fail_timeout=5s;" for upstream in upstream_ports],
        "cache_path": f"proxy_cache_path {folder}/cache levels=1:2 keys_zone=redpinar:5m inactive=1d use_temp_path=off;",
        "listen": f"listen 127.0.0.1:{port};",
        "server_name": "server_name localhost;",
        "install_dir": f"root {install_dir};",
        **(settings or {}),
    }
    site = site_for(chosen)
    if not cache:
        # Everything else stays as deployed, so the difference measured is the cache's alone.
        if site.count(CACHE_ON) != 1:
            raise ValueError(f"the site should say {CACHE_ON!r} once")
        site = site.replace(CACHE_ON, CACHE_OFF)
    with open(os.path.join(folder, "redpinar.conf"), "w", encoding="utf-8") as handle:
        handle.write(site)
    temp_paths = "\n".join(f"    {kind}_temp_path {folder}/{kind}_temp;"
                           for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # Started by root, nginx's workers would switch to "nobody", who cannot enter a private folder.
    workers = "user root;\n" if os.geteuid() == 0 else ""
    logging = f"access_log {folder}/access.log upstreams;" if access_log else "access_log off;"
    main = workers + f"""daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    log_format upstreams '$request_method $uri $status $upstream_addr';
    {logging}
{temp_paths}
    include {folder}/redpinar.conf;
}}
"""
    path = os.path.join(folder, "nginx.conf")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(main)
    return path


def nginx_command(config):
    """The command that runs nginx in the foreground on a configuration written by unprivileged_configuration."""
    folder = os.path.dirname(config)
    return [NGINX, "-c", config, "-p", folder, "-e", os.path.join(folder, "error.log")]

"""The nginx site of deploy/nginx/redpinar.conf turned into a configuration a test can run unprivileged."""
import os
import re

from tests.conftest import PROJECT_ROOT

SITE_TEMPLATE = os.path.join(PROJECT_ROOT, "deploy", "nginx", "redpinar.conf")
SETTING = re.compile(r"^(\s*).*#\s*SETTING\s+(\w+)\s*$")


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


def configuration_for_test(folder, port, upstream_ports):
    """Write nginx.conf into folder: the site on 127.0.0.1:port in front of the given ports, everything under folder."""
    folder = str(folder)
    settings = {
        "upstreams": [f"server 127.0.0.1:{upstream} max_fails=1 fail_timeout=5s;" for upstream in upstream_ports],
        "cache_path": f"proxy_cache_path {folder}/cache levels=1:2 keys_zone=redpinar:5m inactive=1d use_temp_path=off;",
        "listen": f"listen 127.0.0.1:{port};",
        "server_name": "server_name localhost;",
        "install_dir": f"root {PROJECT_ROOT};",
        # A storm of messages from one address is the point of the test.
        "post_rate": "limit_req_zone $redpinar_post_address zone=redpinar_posts:10m rate=100000r/s;",
        "post_burst": "limit_req zone=redpinar_posts burst=100000 nodelay;",
    }
    with open(os.path.join(folder, "redpinar.conf"), "w", encoding="utf-8") as handle:
        handle.write(site_for(settings))
    temp_paths = "\n".join(f"    {kind}_temp_path {folder}/{kind}_temp;"
                           for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # Started by root, nginx's workers would switch to "nobody", who cannot enter the test's private folder.
    workers = "user root;\n" if os.geteuid() == 0 else ""
    main = workers + f"""daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    log_format upstreams '$request_method $uri $status $upstream_addr';
    access_log {folder}/access.log upstreams;
{temp_paths}
    include {folder}/redpinar.conf;
}}
"""
    path = os.path.join(folder, "nginx.conf")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(main)
    return path

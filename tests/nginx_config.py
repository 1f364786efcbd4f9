"""The nginx site of deploy/nginx/redpinar.conf as the tests run it (the building is shared with the bench)."""
from bench.nginx_site import NGINX, nginx_command, site_for, unprivileged_configuration

__all__ = ["NGINX", "configuration_for_test", "nginx_command", "site_for"]


def configuration_for_test(folder, port, upstream_ports):
    """Write nginx.conf into folder: the site on 127.0.0.1:port in front of the given ports, everything under folder."""
    # A storm of messages from one address is the point of the test.
    return unprivileged_configuration(folder, port, upstream_ports, settings={
        "post_rate": "limit_req_zone $redpinar_post_address zone=redpinar_posts:10m rate=100000r/s;",
        "post_burst": "limit_req zone=redpinar_posts burst=100000 nodelay;",
    })

"""A copy of the public site: a static mirror served by any web server, or an offline zip."""

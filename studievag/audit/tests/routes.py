from studievag.testing import Route

ROUTES = [Route("audit:read_log", frozenset({"principal"}))]

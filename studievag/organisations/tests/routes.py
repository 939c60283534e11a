from studievag.testing import Route

ROUTES = [Route("organisations:overview", frozenset({"organiser_analyst", "regional_coordinator"}))]

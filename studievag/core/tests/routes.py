from studievag.testing import ALL_ROLES, Route

ROUTES = [
    Route("core:home", ALL_ROLES),
    Route("core:healthz", ALL_ROLES, public=True),
]

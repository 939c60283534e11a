"""SS 12000 (the Swedish standard for data exchange between school systems), version 2.1.0.

This package knows the standard and nothing of Studieväg's models: the
OpenAPI document and validation against it (``schema``), an HTTP client that
pages the way the standard does (``client``), and a register that answers as
the standard says a student administration system should (``testserver``).
"""

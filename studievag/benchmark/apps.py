from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarkConfig(AppConfig):
    """The synthetic national data set and the benchmark; no production module imports it."""

    name = "studievag.benchmark"
    verbose_name = _("Benchmark")

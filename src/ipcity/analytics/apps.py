from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "ipcity.analytics"
    label = "analytics"
    verbose_name = "统计分析"

    def ready(self) -> None:
        from ipcity.analytics import high_value, indicators, jobs, queries  # noqa: F401  (rules, scopes, jobs)

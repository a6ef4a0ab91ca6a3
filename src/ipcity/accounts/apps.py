from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ipcity.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from ipcity.accounts import lockout, queries, signals  # noqa: F401  (lockout declares its rules)

"""The demo's business rules, declared when the platform starts (not only when the generator is imported), so the
rule admin knows them on every installation."""
from ipcity.core.rules import declare

DEMO_PASSWORD = declare("demo.password", "Demo@ipcity2026", "演示账户的初始密码（仅演示环境）")

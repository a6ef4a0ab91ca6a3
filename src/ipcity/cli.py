"""The `ipcity` command. Every subcommand works on the installation $IPCITY_HOME points to (default
./ipcity-data), creating its database on first use."""
from __future__ import annotations

import argparse
import json
import os
import sys

DEFAULT_SETTINGS = "ipcity.settings"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def _pending_migrations() -> list:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def _ensure_database() -> None:
    """First use of an installation creates its database; an existing one with pending migrations is not
    changed behind the operator's back (SystemExit with the instruction instead)."""
    from django.db import connection

    if "django_migrations" not in connection.introspection.table_names():
        _migrate(quiet=True)
    elif _pending_migrations():
        raise SystemExit("数据库结构不是最新版本，请先运行 ipcity migrate（升级前建议先 ipcity backup）")


def _console():
    from rich.console import Console

    return Console()


def _migrate(quiet: bool = False) -> None:
    """Apply migrations and load reference data (regions, holiday schedule). Idempotent."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0 if quiet else 1)
    # Hashed static file names (cache busting) need the manifest that collectstatic writes into the home.
    call_command("collectstatic", interactive=False, verbosity=0)
    from ipcity.ops.reference import ensure_reference_data

    ensure_reference_data()


def cmd_migrate(args) -> int:
    _setup()
    _migrate()
    _console().print("[green]数据库已是最新，参考数据（行政区划、放假安排）已加载。[/green]")
    return 0


def _with_progress(title: str, func):
    """Run func(progress) showing a rich progress bar; progress(done, total, message)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=_console(), transient=False) as bar:
        task = bar.add_task(title, total=None)

        def progress(done: int, total: int | None = None, message: str = "") -> None:
            bar.update(task, completed=done, total=total, description=f"{title}：{message}" if message else title)

        return func(progress)


def cmd_demo(args) -> int:
    _setup()
    from django.conf import settings

    from ipcity.demo import generator

    console = _console()
    console.print(f"安装目录：{settings.IPCITY_HOME}")
    _migrate(quiet=True)
    city = args.city or settings.IPCITY_DEMO_CITY
    summary = _with_progress("生成示例数据", lambda progress: generator.run(
        city_code=city, seed=args.seed, enterprises_per_district=args.scale, progress=progress))
    created = summary["created"]
    if created:
        console.print(f"已为{summary['city']}生成示例数据：" + "，".join(f"{k} {v}" for k, v in created.items()))
    else:
        console.print(f"{summary['city']}的示例数据已存在，未重复生成。")
    _print_logins(console, args.host, args.port)
    if args.no_serve:
        return 0
    return _serve(args.host, args.port)


def _print_logins(console, host: str, port: int) -> None:
    from rich.table import Table

    from ipcity.demo.generator import DEMO_ACCOUNTS, DEMO_PASSWORD

    table = Table(title="演示账户（所有记录均为示例数据）")
    table.add_column("用户名")
    table.add_column("角色")
    for username, (role, _, _) in DEMO_ACCOUNTS.items():
        table.add_row(username, role.label)
    console.print(table)
    console.print(f"演示账户密码：[bold]{DEMO_PASSWORD.get()}[/bold]")
    console.print(f"访问地址：[bold]http://{host}:{port}/[/bold]   公众服务：http://{host}:{port}/portal/")


def _serve(host: str, port: int, workers: int = 1, threads: int = 8) -> int:
    from django.conf import settings
    from gunicorn.app.base import BaseApplication

    from ipcity.wsgi import application

    embedded = settings.IPCITY_EMBEDDED_WORKER

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", "-")
            if embedded:
                self.cfg.set("post_worker_init", lambda worker: _start_worker())

        def load(self):
            return application

    def _start_worker():
        from ipcity.jobs.runner import start_embedded_worker

        start_embedded_worker()

    Server().run()
    return 0


def cmd_serve(args) -> int:
    _setup()
    _migrate(quiet=True)
    return _serve(args.host, args.port, args.workers, args.threads)


def cmd_worker(args) -> int:
    _setup()
    _ensure_database()
    import threading

    from ipcity.jobs.runner import run_pending, run_sweeps, worker_loop

    if args.once:
        swept = 0
        while (done := run_sweeps()) > 0:
            swept += done
        _console().print(f"已运行 {run_pending()} 个任务，完成 {swept} 项后台处理（登记投诉举报、锚定审计记录、签发检查点）")
        return 0
    _console().print("后台任务进程已启动（Ctrl+C 退出）")
    try:
        worker_loop(threading.Event())
    except KeyboardInterrupt:
        pass
    return 0


def cmd_createadmin(args) -> int:
    _setup()
    import getpass

    from django.core.exceptions import ValidationError

    from ipcity.accounts.actions import create_user
    from ipcity.accounts.roles import Role
    from ipcity.orgs.models import Organisation

    _migrate(quiet=True)
    password = args.password or os.environ.get("IPCITY_ADMIN_PASSWORD")
    if not password:
        password = getpass.getpass("密码：")
        if password != getpass.getpass("再次输入密码："):
            print("两次输入的密码不一致", file=sys.stderr)
            return 2
    org = Organisation.objects.filter(kind=Organisation.Kind.CITY_OFFICE).order_by("pk").first()
    role = Role.AUDITOR if args.auditor else Role.SYSADMIN
    try:
        create_user(acting_user=None, username=args.username, role=role, password=password, organisation=org,
                    display_name=role.label)
    except ValidationError as exc:
        print("；".join(exc.messages), file=sys.stderr)
        return 2
    _console().print(f"已创建{role.label}账户：{args.username}")
    return 0


def cmd_backup(args) -> int:
    _setup()
    _ensure_database()
    from ipcity.core.audit import record
    from ipcity.ops.backup import BackupError, create_backup

    try:
        record("ops.backup", actor_label="ipcity backup", changes={"include_keys": args.include_keys})
        path = create_backup(args.output, include_keys=args.include_keys)
    except BackupError as exc:
        print(f"备份失败：{exc}", file=sys.stderr)
        return 1
    _console().print(f"已备份到 {path}")
    if not args.include_keys:
        _console().print("[yellow]注意：加密密钥未包含在备份中，请另行妥善保管安装目录中的 field_key、digest_key、secret_key。[/yellow]")
    return 0


def cmd_restore(args) -> int:
    _setup()
    from ipcity.core.audit import record
    from ipcity.ops.backup import BackupError, restore_backup

    try:
        manifest = restore_backup(args.archive)
    except BackupError as exc:
        print(f"恢复失败，现有数据未作任何改动：{exc}", file=sys.stderr)
        return 1
    _migrate(quiet=True)  # a backup from an older version is brought up to this version's schema
    created_at = manifest.get("created_at", "未知")  # the archive is verified, but the manifest is hand-editable
    record("ops.restore", actor_label="ipcity restore", changes={"archive": os.path.basename(str(args.archive)),
                                                                   "created_at": created_at})
    _console().print(f"已从 {args.archive} 恢复（备份时间 {created_at}）")
    return 0


def cmd_check(args) -> int:
    _setup()
    _ensure_database()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    console = _console()
    try:
        call_command("check", deploy=args.deploy, fail_level="WARNING" if args.deploy else "ERROR")
    except SystemCheckError as exc:
        print("系统检查未通过" + ("（生产部署安全检查）" if args.deploy else "") + f"：\n{exc}", file=sys.stderr)
        return 1
    from ipcity.core.crypto import sm3_self_test

    sm3_self_test()
    console.print("SM3 自检通过")
    if args.audit:
        from ipcity.core.audit import verify_chain

        report = verify_chain()
        if not report.ok:
            # soft_wrap: one problem per line whatever the terminal width, so logs can be grepped for a row
            console.print(f"[red]审计日志校验失败（已检查 {report.checked} 条）：[/red]", soft_wrap=True)
            for problem in report.problems:
                console.print(f"  - {problem}", soft_wrap=True, markup=False, highlight=False)
            return 1
        console.print(f"[green]审计日志完整：已校验 {report.checked} 条记录[/green]", soft_wrap=True)
        from ipcity.evidence.commands import check_log

        if not check_log(console):
            return 1
    return 0


def cmd_evidence(args) -> int:
    from ipcity.evidence import commands

    if args.evidence_command == "verify":  # a package carries all it needs: no database
        return commands.verify(args.directory)
    _setup()
    _ensure_database()
    console = _console()
    if args.evidence_command == "export":
        return commands.export(args.number, args.directory, console)
    if args.evidence_command == "checkpoint":
        return commands.checkpoint(console)
    return commands.status(console)


def cmd_inspections_replay(args) -> int:
    """Replay a published 双随机 draw record: needs no database, only the record."""
    from pathlib import Path

    from ipcity.inspections.draw import ReplayMismatch, replay

    try:
        record = json.loads(Path(args.file).read_text(encoding="utf-8"))
        again = replay(record)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        message = str(exc) if isinstance(exc, ReplayMismatch) else f"无法读取抽查记录：{exc}"
        print(f"重现失败：{message}", file=sys.stderr)
        return 1
    print(f"重现成功：名录摘要 {again['commitment']}，随机数来源「{again['announced']}」，"
          f"抽取 {len(again['selection'])} 个检查对象，与公布结果一致")
    evidence = again.get("evidence") or {}
    if evidence:  # where the commitment was logged before the value was known (checkable on the portal)
        checkpoint = evidence.get("checkpoint") or {}
        print(f"名录摘要已存证：存证编号 #{int(evidence['entry']) + 1}"
              + (f"，签名检查点 {checkpoint.get('size')} 条、根哈希 {checkpoint.get('root')}"
                 f"（{checkpoint.get('created_at', '')}）" if checkpoint else ""))
    return 0


def cmd_deadline(args) -> int:
    import datetime as dt

    _setup()
    from django.utils import timezone

    from ipcity.workdays.calendar import current_calendar
    from ipcity.workdays.engine import CalendarNotPublished, Unit, compute_due

    try:
        start = dt.datetime.fromisoformat(args.start)
    except ValueError:
        print(f"起算日期格式错误：{args.start}（应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM）", file=sys.stderr)
        return 2
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    start = timezone.localtime(start)
    if args.working_days is not None:
        unit, amount = Unit.WORKING_DAYS, args.working_days
    elif args.days is not None:
        unit, amount = Unit.DAYS, args.days
    else:
        unit, amount = Unit.HOURS, args.hours
    _ensure_calendar()
    try:
        result = compute_due(start, amount, unit, current_calendar())
    except (CalendarNotPublished, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"start": start.isoformat(), "amount": amount, "unit": unit.value,
                          "due": result.due.isoformat(), "due_date": result.due_date.isoformat(),
                          "provisional": result.provisional}, ensure_ascii=False))
    else:
        due = result.due
        text = f"{due:%Y-%m-%d %H:%M}" if unit == Unit.HOURS else f"{due:%Y-%m-%d}"
        print(f"{text}{'（暂定：涉及尚未公布放假安排的年份）' if result.provisional else ''}")
    return 0


def _ensure_calendar() -> None:
    """`ipcity deadline` must work on a fresh home: create the database and its reference data first."""
    from django.db import DatabaseError

    from ipcity.workdays.models import CalendarYear

    try:
        if CalendarYear.objects.exists():
            return
    except DatabaseError:
        pass
    _migrate(quiet=True)


def cmd_token(args) -> int:
    _setup()
    _ensure_database()
    from ipcity.accounts.actions import create_api_token
    from ipcity.accounts.models import User

    user = User.objects.filter(username=args.username, is_active=True).first()
    if user is None:
        print(f"用户不存在或已停用：{args.username}", file=sys.stderr)
        return 2
    _, secret = create_api_token(user, args.name, acting_user=None)
    print(secret)
    return 0


def cmd_intake_client(args) -> int:
    """Issue an intake token to an e-commerce platform or trade-fair desk (printed once, stored as a hash)."""
    _setup()
    _ensure_database()
    from ipcity.orgs.models import Organisation
    from ipcity.protection.clients import create_intake_client

    org = Organisation.objects.filter(**({"pk": int(args.organisation)} if args.organisation.isdigit()
                                         else {"name": args.organisation})).first()
    if org is None:
        print(f"组织机构不存在：{args.organisation}（请先在“组织机构”中建立该平台或展会）", file=sys.stderr)
        return 2
    _, secret = create_intake_client(acting_user=None, organisation=org, kind=args.kind,
                                     name=args.name or org.name)
    print(secret)
    return 0


def cmd_plan_parse(args) -> int:
    """Parse a plan document (no database needed)."""
    from ipcity.plans.parser import ParseError, parse_file

    try:
        result = parse_file(args.file)
    except ParseError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    console = _console()
    console.print(f"[bold]{result['title']}[/bold]  {result.get('doc_number') or ''}  {result.get('date') or ''}")
    console.print(f"章节 {len(result['sections'])}，指标 {len(result['indicators'])}，任务 {len(result['tasks'])}，"
                  f"领导小组成员 {len(result['groups'])}")
    for task in result["tasks"]:
        units = "、".join(task["lead"] or task["responsible"]) or "（未识别责任单位）"
        console.print(f"  {task['number']} {task['title']} — {units}")
    for warning in result.get("warnings") or []:
        console.print(f"[yellow]{warning}[/yellow]")
    return 0


def cmd_plan_report(args) -> int:
    _setup()
    _ensure_database()
    import datetime as dt

    from django.utils import timezone

    from ipcity.plans.models import Plan
    from ipcity.plans.reports import annual_report, ledger_xlsx, quarterly_brief
    from ipcity.plans.reports_access import report_user

    plan = Plan.objects.filter(pk=args.plan).select_related("owner").first()
    if plan is None:
        print(f"规划不存在：{args.plan}", file=sys.stderr)
        return 2
    user = report_user(plan, args.user)
    if user is None:
        print(f"用户不存在或已停用：{args.user}", file=sys.stderr)
        return 2
    today = timezone.localdate()
    try:
        if args.quarter:
            from ipcity.plans import periods

            periods.validate(args.quarter)
            data = quarterly_brief(plan, user, args.quarter, today)
        elif args.year:
            data = annual_report(plan, user, args.year, today)
        else:
            data = ledger_xlsx(plan, user)
    except Exception as exc:  # a Chinese message for the operator, not a traceback
        from django.core.exceptions import ValidationError

        if isinstance(exc, ValidationError):
            print("；".join(exc.messages), file=sys.stderr)
            return 2
        raise
    out = args.out
    with open(out, "wb") as f:
        f.write(data)
    _console().print(f"已生成 {out}（{len(data)} 字节，{dt.datetime.now():%Y-%m-%d %H:%M}）")
    return 0


def cmd_import(args) -> int:
    """Import patent exports or register templates; prints the batch summary (JSON with --json)."""
    _setup()
    _ensure_database()
    from django.core.exceptions import ValidationError

    from ipcity.ipdata.models import ColumnMapping
    from ipcity.ipdata.registers import error_report_xlsx, import_register

    results, status = [], 0
    mapping = None
    if args.mapping:
        found = ColumnMapping.objects.filter(name=args.mapping).first()
        if found is None:
            print(f"没有名为「{args.mapping}」的字段对应方案", file=sys.stderr)
            return 2
        mapping = found.mapping
    for path in args.files:
        if not os.path.exists(path):
            print(f"文件不存在：{path}", file=sys.stderr)
            status = 2
            continue
        try:
            if args.kind == "patents":
                from ipcity.ipdata.importing import import_patents

                batch = _with_progress(f"导入 {os.path.basename(path)}", lambda progress, p=path: import_patents(
                    p, acting_user=None, source_format=args.format, mapping=mapping, progress=progress))
            elif args.kind == "submissions":
                from ipcity.protection.importing import import_submissions

                batch = import_submissions(path, acting_user=None)
            else:
                batch = import_register(args.kind, path, acting_user=None)
        except ValidationError as exc:
            print(f"{path}：{'；'.join(exc.messages)}", file=sys.stderr)
            status = 1
            continue
        report = None
        if batch.rejected:
            report = os.path.splitext(path)[0] + "-拒收记录.xlsx"
            with open(report, "wb") as f:
                f.write(error_report_xlsx(batch))
        results.append({**batch.summary(), "file": path, "error_report": report})
    if args.json:
        payload = results[0] if len(results) == 1 else results
        if len(results) == 1:
            payload = {k: v for k, v in payload.items() if k != "file"}
        print(json.dumps(payload, ensure_ascii=False))
    else:
        for r in results:
            _console().print(f"{r['file']}：读取 {r['read']}，新增 {r['created']}，更新 {r['updated']}，未变化 "
                             f"{r['unchanged']}，拒收 {r['rejected']}" + (f"（拒收明细：{r['error_report']}）"
                                                                      if r["error_report"] else ""))
    return status


def cmd_search(args) -> int:
    """Search patents (fielded syntax: TI= AB= CL= PA= IN= IC= AD= PD= LS= PT= RG=, AND/OR/NOT, quotes)."""
    _setup()
    _ensure_database()
    from ipcity.ipdata import search_index
    from ipcity.search.query import QuerySyntaxError

    if args.rebuild:
        _console().print(f"已重建检索索引：{search_index.rebuild()} 件专利")
        return 0
    if args.check:
        missing, extra = search_index.check()
        if missing or extra:
            print(f"检索索引与数据库不一致：缺少 {len(missing)} 件，多出 {len(extra)} 件（运行 ipcity search --rebuild 修复）",
                  file=sys.stderr)
            return 1
        _console().print("检索索引与数据库一致")
        return 0
    if not args.query:
        print("请提供检索式，如：ipcity search 'TI=虚拟现实 AND PA=华为'", file=sys.stderr)
        return 2
    try:
        result = search_index.search(args.query, limit=args.limit)
    except QuerySyntaxError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    from django.contrib.auth.models import AnonymousUser

    from ipcity.search.queries import hydrate

    # Patents are public bibliographic data (ipdata.queries.scope_patents): the operator sees what anyone sees.
    hits = [hit.as_json() for hit in hydrate(result.hits, user=AnonymousUser())]
    if args.json:
        print(json.dumps({"total": result.total, "hits": hits}, ensure_ascii=False))
    else:
        _console().print(f"共 {result.total} 件")
        for h in hits:
            _console().print(f"{h['application_number']}  {h['application_date'] or ''}  {h['title']}  "
                             f"{'；'.join(h['applicants'])}")
    return 0


def cmd_analytics(args) -> int:
    """Analytics: load the SEI concordance; evaluate high-value invention patents."""
    _setup()
    _ensure_database()
    import datetime as dt

    from django.core.exceptions import ValidationError

    if args.analytics_command == "export-parquet":
        from ipcity.analytics.parquet import export_parquet

        counts = export_parquet(args.directory)
        for name, n in counts.items():
            _console().print(f"{name}.parquet：{n} 行")
        return 0
    if args.analytics_command == "load-sei":
        from ipcity.analytics.actions import load_sei_table

        directory = args.directory
        files = [os.path.join(directory, name) for name in ("sei.jsonl", "ipc-sei.jsonl")]
        missing = [f for f in files if not os.path.exists(f)]
        if missing:
            print(f"缺少文件：{'、'.join(missing)}（目录中应有 sei.jsonl 和 ipc-sei.jsonl）", file=sys.stderr)
            return 2
        with open(files[0], "rb") as rules, open(files[1], "rb") as mapping:
            try:
                table = load_sei_table(rules.read(), mapping.read(), name=args.name or os.path.basename(
                    os.path.abspath(directory)), activate=not args.inactive, acting_user=None)
            except ValidationError as exc:
                print("；".join(exc.messages), file=sys.stderr)
                return 1
        _console().print(f"已载入对照表：{table}" + ("，当前使用" if table.is_active else ""))
        return 0

    from ipcity.analytics.evaluate import evaluator, patent_facts, write_export
    from ipcity.analytics.high_value import summarise

    try:
        as_of = dt.date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        print(f"日期格式错误：{args.as_of}（应为 2025-12-31）", file=sys.stderr)
        return 2
    if args.export and os.path.splitext(args.export)[1].lower() not in (".xlsx", ".csv"):
        print("导出文件须为 .xlsx 或 .csv", file=sys.stderr)
        return 2
    ev = evaluator(as_of)
    if ev.sei is None:
        print("提示：尚未载入战略性新兴产业分类对照表（ipcity analytics load-sei 目录），第①项均为否", file=sys.stderr)
    evaluations = list(ev.evaluate_all(patent_facts()))
    counts = summarise(evaluations)
    if args.export:
        write_export(evaluations, args.export, ev.settings)
    if args.json:
        print(json.dumps({"as_of": ev.settings.as_of.isoformat(), "rules": ev.settings.describe(),
                          "sei_table": ev.sei.version if ev.sei else None, "counts": counts,
                          "patents": [e.row() for e in evaluations]}, ensure_ascii=False))
    else:
        labels = {"invention_patents": "发明专利（含申请）", "valid": "有效发明专利", "c1_sei": "①战略性新兴产业",
                  "c2_overseas": "②海外同族授权", "c3_maintained": "③维持超过10年", "c4_pledge": "④较高质押融资",
                  "c5_award": "⑤获奖", "high_value": "高价值发明专利（去重）", "sei_all": "战略性新兴产业（含申请）"}
        _console().print(f"截止 {ev.settings.as_of:%Y-%m-%d}：")
        for key, label in labels.items():
            _console().print(f"  {label}：{counts[key]}")
        if args.export:
            _console().print(f"已导出：{args.export}")
    return 0


def cmd_indicators(args) -> int:
    """Compute the indicator catalogue for the city and its districts (or one region) at an as-of date."""
    _setup()
    _ensure_database()
    import datetime as dt

    from ipcity.analytics.compute import compute
    from ipcity.analytics.engines import engine
    from ipcity.analytics.indicators import CATALOGUE, Context, default_as_of
    from ipcity.analytics.navigation import home_city
    from ipcity.regions.models import Region

    try:
        as_of = dt.date.fromisoformat(args.as_of) if args.as_of else default_as_of()
    except ValueError:
        print(f"日期格式错误：{args.as_of}（应为 2025-12-31）", file=sys.stderr)
        return 2
    city = home_city()
    only = None
    if args.region:
        region = Region.objects.filter(code=args.region).first()
        if region is None:
            print(f"行政区划代码不存在：{args.region}", file=sys.stderr)
            return 2
        if region.level == Region.Level.CITY:
            city = region.code
        elif region.level == Region.Level.COUNTY and region.parent_id:
            city, only = region.parent_id, region.code
        else:
            print(f"请给出地级市或县区代码：{args.region}（{region.name}）", file=sys.stderr)
            return 2
    try:
        if args.engine == "db":
            from ipcity.analytics.flags import ensure_flags

            ensure_flags()
        chosen = engine(args.engine, args.parquet)
    except (FileNotFoundError, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    report = compute(chosen, Context.current(as_of), city, only)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
        return 0
    from rich.table import Table

    table = Table(title=f"知识产权指标（截至 {as_of:%Y-%m-%d}，{args.engine}）")
    table.add_column("指标")
    table.add_column("单位")
    for _, name in report.regions:
        table.add_column(name, justify="right")
    for d in CATALOGUE:
        cells = []
        for code, _ in report.regions:
            v = report.value(d.key, code)
            cells.append("—" if v.value is None else (f"{v.value:.2f}" if isinstance(v.value, float) else str(v.value)))
        table.add_row(d.name + ("（暂无数据）" if d.no_data else ""), d.unit, *cells)
    _console().print(table)
    for key, value in report.rules.items():
        _console().print(f"[dim]{key}：{value}[/dim]")
    return 0


def cmd_remind(args) -> int:
    """Mail every user their reminders (run daily from cron or a systemd timer)."""
    _setup()
    _ensure_database()
    from ipcity.core.notify import send_reminder_emails

    result = _with_progress("发送待办提醒", lambda progress: send_reminder_emails(progress=progress))
    if result.get("skipped"):
        print(result["skipped"], file=sys.stderr)
        return 1
    _console().print(f"已发送 {result['sent']} 封提醒邮件（检查 {result['users']} 个用户）")
    return 0


def cmd_manage(args) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ipcity manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ipcity", description="知识产权强市一体化平台")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="初始化示例数据并启动平台")
    p.add_argument("--city", help="地级市行政区划代码（默认 371700 菏泽市）")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--scale", type=int, default=6, help="每个县区生成的企业数")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-serve", action="store_true", help="只生成数据，不启动服务")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="启动 Web 服务（gunicorn）")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--threads", type=int, default=8)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="运行后台任务进程")
    p.add_argument("--once", action="store_true", help="运行完当前排队的任务后退出")
    p.set_defaults(func=cmd_worker)

    sub.add_parser("migrate", help="创建或升级数据库并加载参考数据").set_defaults(func=cmd_migrate)

    p = sub.add_parser("createadmin", help="创建系统管理员（或 --auditor 审计管理员）")
    p.add_argument("username")
    p.add_argument("--password", help="不提供则交互输入，或读取 IPCITY_ADMIN_PASSWORD")
    p.add_argument("--auditor", action="store_true")
    p.set_defaults(func=cmd_createadmin)

    p = sub.add_parser("backup", help="备份数据库与上传文件")
    p.add_argument("output", nargs="?", help="备份文件路径（默认 $IPCITY_HOME/backups/）")
    p.add_argument("--include-keys", action="store_true", help="同时备份加密密钥（请分开保管）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="从备份恢复（请先停止服务）")
    p.add_argument("archive")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", help="系统检查")
    p.add_argument("--audit", action="store_true", help="校验审计日志哈希链")
    p.add_argument("--deploy", action="store_true", help="生产部署安全检查")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("intake-client", help="为电商平台或展会投诉站签发投诉转送接口令牌（只显示一次）")
    p.add_argument("organisation", help="组织机构名称或编号")
    p.add_argument("--kind", choices=["platform", "trade_fair", "integrator"], default="platform")
    p.add_argument("--name", help="对接名称（默认为组织机构名称）")
    p.set_defaults(func=cmd_intake_client)

    p = sub.add_parser("inspections", help="双随机、一公开：重现已公布的抽取结果")
    inspections_sub = p.add_subparsers(dest="inspections_command", required=True)
    q = inspections_sub.add_parser("replay", help="按公布的抽查记录（JSON）重新计算摘要和抽取结果并比对")
    q.add_argument("file")
    q.set_defaults(func=cmd_inspections_replay)

    p = sub.add_parser("evidence", help="存证：日志状态、签发检查点、导出与验证证据包")
    evidence_sub = p.add_subparsers(dest="evidence_command", required=True)
    evidence_sub.add_parser("status", help="日志规模、公钥、最新检查点与审计锚定进度").set_defaults(func=cmd_evidence)
    evidence_sub.add_parser("checkpoint", help="锚定新的审计记录并立即签发检查点").set_defaults(func=cmd_evidence)
    q = evidence_sub.add_parser("export", help="导出一条存证记录的证据包（文件、包含证明、签名检查点、独立验证程序）")
    q.add_argument("number", type=int, help="存证编号（页面上显示的 #编号）")
    q.add_argument("directory", help="输出目录（不存在或为空）")
    q.set_defaults(func=cmd_evidence)
    q = evidence_sub.add_parser("verify", help="验证证据包（无需数据库）")
    q.add_argument("directory")
    q.set_defaults(func=cmd_evidence)

    p = sub.add_parser("deadline", help="计算期限届满日（收到之日不计入）")
    p.add_argument("start", help="起算日期 YYYY-MM-DD（或 YYYY-MM-DDTHH:MM）")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--working-days", type=int)
    group.add_argument("--days", type=int)
    group.add_argument("--hours", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deadline)

    p = sub.add_parser("token", help="为用户生成 API 令牌（只显示一次）")
    p.add_argument("username")
    p.add_argument("name", help="用途")
    p.set_defaults(func=cmd_token)

    p = sub.add_parser("plan", help="规划：解析文件、生成报告")
    plan_sub = p.add_subparsers(dest="plan_command", required=True)
    q = plan_sub.add_parser("parse", help="解析规划文件（.txt、.docx、带文字层的 .pdf）")
    q.add_argument("file")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_plan_parse)
    q = plan_sub.add_parser("report", help="生成季度通报、年度报告（DOCX）或台账（XLSX）")
    q.add_argument("plan", type=int, help="规划编号")
    kind = q.add_mutually_exclusive_group()
    kind.add_argument("--quarter", help="季度通报，如 2025Q3")
    kind.add_argument("--year", type=int, help="年度知识产权保护状况报告")
    q.add_argument("--user", help="以该用户可见的范围生成（默认：编制单位领导视角）")
    q.add_argument("--out", required=True, help="输出文件（.docx 或 .xlsx）")
    q.set_defaults(func=cmd_plan_report)

    sub.add_parser("remind", help="发送待办提醒邮件（需配置 IPCITY_EMAIL_HOST）").set_defaults(func=cmd_remind)

    p = sub.add_parser("search", help="专利检索（TI= AB= CL= PA= IN= IC= AD= PD= LS= PT= RG=）")
    p.add_argument("query", nargs="?")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.add_argument("--rebuild", action="store_true", help="从数据库重建检索索引")
    p.add_argument("--check", action="store_true", help="检查检索索引与数据库是否一致")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("import", help="导入专利数据、登记簿（商标、地理标志、著作权、质押、获奖、人口……）或投诉举报")
    p.add_argument("kind", choices=["patents", "trademarks", "gis", "copyrights", "plant_varieties", "layout_designs",
                                    "enterprise_flags", "pledges", "awards", "population", "submissions"])
    p.add_argument("files", nargs="+")
    p.add_argument("--format", default="auto", choices=["auto", "incopat", "patentics", "cnipa-xml", "generic"],
                   help="专利数据格式（默认按表头识别）")
    p.add_argument("--mapping", help="通用 CSV/XLSX 的字段对应方案名称")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("analytics", help="统计分析：战略性新兴产业对照表、高价值发明专利")
    analytics_sub = p.add_subparsers(dest="analytics_command", required=True)
    q = analytics_sub.add_parser("load-sei", help="载入战略性新兴产业分类与国际专利分类参照关系表（sei.jsonl、ipc-sei.jsonl 所在目录）")
    q.add_argument("directory")
    q.add_argument("--name", help="版本名称")
    q.add_argument("--inactive", action="store_true", help="只载入，不启用")
    q.set_defaults(func=cmd_analytics)
    q = analytics_sub.add_parser("high-value", help="高价值发明专利（五类标准，逐件给出依据）")
    q.add_argument("--as-of", help="截止日期（默认今天），如 2025-12-31")
    q.add_argument("--export", help="导出 .xlsx 或 .csv（每件专利一行）")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_analytics)

    q = analytics_sub.add_parser("export-parquet", help="导出指标计算所需的数据表为 Parquet（供 DuckDB 等引擎使用）")
    q.add_argument("directory")
    q.set_defaults(func=cmd_analytics)

    p = sub.add_parser("indicators", help="计算知识产权指标（全市及各县区）")
    p.add_argument("--as-of", help="截止日期，如 2025-12-31（默认上一年末）")
    p.add_argument("--region", help="地级市或县区代码（默认本市全部）")
    p.add_argument("--engine", default="db", choices=["db", "duckdb", "spark"],
                   help="db＝平台数据库；duckdb、spark＝Parquet 导出（spark 需 pip install \"ipcity[spark]\"）")
    p.add_argument("--parquet", help="DuckDB 引擎读取的 Parquet 目录（ipcity analytics export-parquet 的输出）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("manage", help="Django manage.py 命令")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

"""End-to-end: a real `ipcity serve` (gunicorn, WhiteNoise after collectstatic) driven by Debian's Chromium.

Playwright never downloads a browser here: it launches /usr/bin/chromium (Debian package `chromium`).
The tests skip — with that reason — only when that binary is missing.
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.installation import make_installation

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEMO_PASSWORD = "Demo@ipcity2026"  # ipcity.demo.generator.DEMO_PASSWORD's default
NAV_TITLES = ["规划与指标", "数据中心", "检索分析", "保护", "运用", "服务", "报表"]
SERVER_START_TIMEOUT = 180  # a bound, not a performance check: the other test pass (Spark) may hold both cores


def _require_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Debian chromium is not installed ({CHROMIUM} missing): `apt-get install chromium` "
                    "(.ci/run does this); Playwright browser downloads are not available here")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the server's whole process group (gunicorn master, its worker and threads)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


class Server:
    def __init__(self, installation, base_url: str, log: Path):
        self.installation = installation
        self.base_url = base_url
        self.log = log

    def url(self, path: str) -> str:
        return self.base_url + path

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no server log)"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A demo installation (scale 2) served by `ipcity serve` on a free port; stopped afterwards."""
    _require_chromium()
    for installation in make_installation(tmp_path_factory.mktemp("browser")):
        installation.run("demo", "--no-serve", "--scale", "2", timeout=600)
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = installation.home / "serve.log"
        with open(log, "wb") as log_file:
            proc = subprocess.Popen([sys.executable, "-m", "ipcity", "serve", "--port", str(port)],
                                    env=installation.env, cwd=installation.home, stdin=subprocess.DEVNULL,
                                    stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        srv = Server(installation, base_url, log)
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"`ipcity serve` exited with {proc.returncode} before answering:\n{srv.log_tail()}")
                try:
                    with urllib.request.urlopen(srv.url("/accounts/login/"), timeout=5) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"`ipcity serve` did not answer /accounts/login/ within {SERVER_START_TIMEOUT} s:\n"
                                f"{srv.log_tail()}")
                time.sleep(0.3)
            yield srv
        finally:
            _stop(proc)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, server):
    """A fresh browser context (no cookies) per test; fails the test on any HTTP error from our server."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    bad_responses: list[str] = []
    pg.on("response", lambda r: bad_responses.append(f"{r.status} {r.url}")
          if r.status >= 400 and r.url.startswith(server.base_url) else None)
    try:
        yield pg
    finally:
        context.close()
    assert not bad_responses, f"server answered with errors: {bad_responses}\n{server.log_tail()}"


def _assert_no_horizontal_scrollbar(pg, width: int = 1366) -> None:
    pg.set_viewport_size({"width": width, "height": 768})
    dims = pg.evaluate("() => ({scroll: document.documentElement.scrollWidth,"
                       " client: document.documentElement.clientWidth})")
    assert dims["scroll"] <= width, f"horizontal scrollbar at {width}px on {pg.url}: {dims}"
    assert dims["scroll"] <= dims["client"], f"content wider than the viewport on {pg.url}: {dims}"


def _login(pg, server, username: str, password: str) -> None:
    pg.goto(server.url("/accounts/login/"))
    pg.locator("#id_username").fill(username)
    pg.locator("#id_password").fill(password)
    pg.get_by_role("button", name="登录", exact=True).click()
    pg.wait_for_load_state("networkidle")


def test_staff_logs_in_and_sees_the_workbench(page, server, tmp_path):
    from playwright.sync_api import expect

    _login(page, server, "staff", DEMO_PASSWORD)
    assert page.url.rstrip("/") == server.base_url, f"not on the home page after login: {page.url}"
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")

    # The role label, between the user's name and organisation: "<name> · 市局业务人员 · <organisation>".
    who = page.get_by_test_id("current-user").inner_text()
    assert re.search(r"·\s*市局业务人员\s*(·|$)", who), f"role label missing from {who!r}"

    nav = page.get_by_role("navigation", name="主导航")
    nav_links = [t.strip() for t in nav.get_by_role("link").all_inner_texts()]
    for title in NAV_TITLES:
        assert title in nav_links, f"{title} missing from the navigation: {nav_links}"

    org_count = page.get_by_test_id("org-count").inner_text().strip()
    assert org_count.isdigit() and int(org_count) > 0, f"org count is not a positive number: {org_count!r}"

    _assert_no_horizontal_scrollbar(page)
    page.screenshot(path=str(tmp_path / "home-1366.png"), full_page=True)

    nav.get_by_role("link", name="运用", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("运用")
    notice = page.get_by_test_id("not-built")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("尚在建设中")
    # A section that is not built shows its plan only: no tables or records dressed up as data.
    assert page.locator("main table").count() == 0
    assert "示例数据" not in page.locator("main").inner_text()

    _assert_no_horizontal_scrollbar(page)
    page.screenshot(path=str(tmp_path / "utilisation-1366.png"), full_page=True)


def test_wrong_password_shows_the_chinese_login_error(page, server):
    from playwright.sync_api import expect

    _login(page, server, "staff", "not-the-password")
    assert "/accounts/login/" in page.url
    error = page.get_by_test_id("login-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("用户名或密码错误")
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    _assert_no_horizontal_scrollbar(page)


def test_public_portal_deadline_calculator_uses_htmx(page, server, tmp_path):
    from playwright.sync_api import expect

    page.goto(server.url("/portal/"))
    assert page.url == server.url("/portal/"), f"the portal redirected (login required?): {page.url}"
    expect(page.get_by_role("heading", level=1)).to_have_text("公众服务")
    expect(page.get_by_test_id("current-user")).to_have_count(0)

    page.locator("#id_start").fill("2026-09-25T09:00")
    page.locator("#id_amount").fill("7")
    page.locator("#id_unit").select_option("days")
    page.get_by_role("button", name="计算", exact=True).click()

    due = page.get_by_test_id("due")
    expect(due).to_be_visible()
    # HTMX swapped the fragment in: the page itself did not navigate to a GET-submitted form.
    assert page.url == server.url("/portal/"), f"the form was submitted without HTMX: {page.url}"

    # Same answer as the command line (收到之日不计入; 国庆 holidays push the due date past the break).
    expected = json.loads(server.installation.run("deadline", "2026-09-25T09:00", "--days", "7", "--json").stdout)
    y, m, d = (int(part) for part in expected["due_date"].split("-"))
    expect(due).to_contain_text(f"届满时间：{y}年{m}月{d}日")

    _assert_no_horizontal_scrollbar(page)
    page.screenshot(path=str(tmp_path / "portal-1366.png"), full_page=True)


PLAN_DOCUMENT = """菏泽市知识产权局关于印发《菏泽市专利执法协作专项行动方案》的通知
菏知发〔2026〕9号
各县区市场监督管理局，市直有关部门：
现将《菏泽市专利执法协作专项行动方案》印发给你们，请认真贯彻落实。
菏泽市知识产权局
2026年3月2日
菏泽市专利执法协作专项行动方案（2026—2027年）
一、工作目标
到2027年，专利侵权纠纷案件结案率达到90%以上。
二、重点任务
（一）建立线索移送机制。与公安机关建立专利侵权线索双向移送机制。（责任单位：市公安局、市知识产权局知识产权保护科）
（二）开展联合执法检查。每季度开展一次联合执法检查。（责任单位：市知识产权局知识产权保护科）
三、保障措施
加强组织领导，落实工作责任。
"""


def _logout(pg) -> None:
    pg.get_by_role("button", name="退出").click()
    pg.wait_for_load_state("networkidle")


def test_plan_import_review_publish_report_accept_dashboard(page, server, tmp_path):
    """The whole plan workflow in the browser: staff import and publish, the liaison reports, staff accept."""
    from playwright.sync_api import expect

    document = tmp_path / "执法协作方案.txt"
    document.write_text(PLAN_DOCUMENT, encoding="utf-8")

    _login(page, server, "staff", DEMO_PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="规划与指标", exact=True).click()
    page.locator("#id_file").set_input_files(str(document))
    page.get_by_role("button", name="上传并解析").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text("菏泽市专利执法协作专项行动方案")
    expect(page.get_by_test_id("task-card")).to_have_count(2)
    expect(page.get_by_test_id("source")).to_contain_text("建立线索移送机制")
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
    page.get_by_test_id("publish").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("task-completion")).to_have_text("0 / 2")
    dashboard_url = page.url
    task_url = page.get_by_test_id("task-list").get_by_role("link", name="建立线索移送机制").get_attribute("href")
    _logout(page)

    _login(page, server, "liaison", DEMO_PASSWORD)  # 菏泽市公安局, a responsible unit of task （一）
    page.goto(server.url(task_url))
    page.locator("#id_kind").select_option("regular")
    page.locator("#id_period").fill("2026Q4")
    page.locator("#id_text").fill("已与市知识产权局签订线索移送协议，移送线索 2 条。")
    page.get_by_role("button", name="报送", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("report-status").first).to_contain_text("已报送")
    _logout(page)

    _login(page, server, "staff", DEMO_PASSWORD)
    page.goto(server.url(task_url))
    page.get_by_role("button", name="采纳").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("report-status").first).to_contain_text("已采纳")
    page.goto(dashboard_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("菏泽市专利执法协作专项行动方案")
    expect(page.get_by_test_id("indicators")).to_contain_text("结案率")
    _assert_no_horizontal_scrollbar(page)
    page.screenshot(path=str(tmp_path / "plan-dashboard.png"), full_page=True)


def test_patent_search_facet_save_export_and_public_search(page, server, tmp_path):
    from playwright.sync_api import expect

    _login(page, server, "staff", DEMO_PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="检索分析", exact=True).click()
    page.get_by_role("link", name="专利检索", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("专利检索")
    page.locator("#q").fill("控制器")  # in every demo abstract
    page.get_by_role("button", name="检索", exact=True).click()
    total = int(page.get_by_test_id("total").inner_text())
    assert total > 20, f"the demo data should give more than one page: {total}"
    expect(page.get_by_test_id("hit")).to_have_count(20)
    expect(page.locator("[data-testid=hit] em").first).to_have_text("控制器")

    # A facet value narrows the query to exactly its count.
    facet = page.locator("[data-facet=patent_type] li").first
    expected = int(facet.locator("span").inner_text())
    facet.get_by_role("link").click()
    expect(page.get_by_test_id("total")).to_have_text(str(expected))
    assert "PT=" in page.locator("#q").input_value()

    page.locator("#save-name").fill("控制器（按类型）")
    page.get_by_role("button", name="保存检索式").click()
    expect(page.get_by_test_id("saved-searches")).to_contain_text("控制器（按类型）")
    _assert_no_horizontal_scrollbar(page)
    page.screenshot(path=str(tmp_path / "search-1366.png"), full_page=True)

    page.get_by_test_id("export").click()
    download_link = page.get_by_test_id("download")
    expect(download_link).to_be_visible(timeout=60_000)  # the embedded worker runs the job; the page polls it
    with page.expect_download() as info:
        download_link.click()
    saved = tmp_path / "export.xlsx"
    info.value.save_as(saved)
    from openpyxl import load_workbook

    rows = list(load_workbook(saved)["检索结果"].iter_rows(values_only=True))
    assert len(rows) - 1 == expected

    _logout(page)
    page.goto(server.url("/portal/"))
    page.get_by_role("textbox", name="检索式").fill("控制器")
    page.get_by_role("button", name="检索", exact=True).click()
    expect(page.get_by_test_id("total")).to_have_text(str(total))
    expect(page.locator("[data-facet=legal_status]")).to_have_count(0)
    _assert_no_horizontal_scrollbar(page)
    page.screenshot(path=str(tmp_path / "public-search-1366.png"), full_page=True)


def test_indicator_drills_down_to_its_records_and_exports_them(page, server, tmp_path):
    from playwright.sync_api import expect

    _login(page, server, "staff", DEMO_PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="检索分析", exact=True).click()
    page.get_by_role("link", name="知识产权指标", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("知识产权指标")
    page.locator("#as-of").fill("2025-12-31")
    page.get_by_role("button", name="计算", exact=True).click()
    row = page.locator("[data-testid=indicator-table] tr[data-key=valid_inventions]")
    expect(row).to_be_visible()
    expect(page.locator("#indicator-chart canvas")).to_have_count(1)  # ECharts drew the per-district chart
    _assert_no_horizontal_scrollbar(page)
    page.screenshot(path=str(tmp_path / "indicators-1366.png"), full_page=True)

    city_value = row.locator("a").first
    expected = int(city_value.inner_text().replace(",", ""))
    assert expected > 0, "the demo city has valid invention patents at the end of 2025"
    city_value.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("有效发明专利量")
    expect(page.get_by_test_id("record-count")).to_have_text(str(expected))
    with page.expect_download() as info:
        page.get_by_test_id("export-records").click()
    saved = tmp_path / "records.xlsx"
    info.value.save_as(saved)
    from openpyxl import load_workbook

    book = load_workbook(saved)
    assert len(list(book["明细"].iter_rows(values_only=True))) - 1 == expected
    notes = dict(book["口径说明"].iter_rows(values_only=True))
    assert notes["指标"] == "有效发明专利量" and notes["截止日期"] == "2025-12-31"


def test_navigation_page_draws_its_charts(page, server, tmp_path):
    from playwright.sync_api import expect

    _login(page, server, "staff", DEMO_PASSWORD)
    page.goto(server.url("/analytics/navigation/"))
    page.locator("#nav-q").fill("控制器")  # in every demo abstract
    page.get_by_role("button", name="分析", exact=True).click()
    expect(page.get_by_test_id("nav-total")).to_contain_text("命中")
    expect(page.locator(".chart canvas")).to_have_count(9)  # every section's ECharts chart was drawn
    expect(page.get_by_test_id("nav-applicants").locator("tbody tr").first).to_be_visible()
    _assert_no_horizontal_scrollbar(page)
    page.screenshot(path=str(tmp_path / "navigation-1366.png"), full_page=True)

    page.get_by_test_id("make-report").click()  # the report is a background job; the job page polls it
    pdf_link = page.get_by_role("link", name="下载 PDF")
    expect(pdf_link).to_be_visible(timeout=120_000)
    with page.expect_download() as info:
        pdf_link.click()
    saved = tmp_path / "navigation.pdf"
    info.value.save_as(saved)
    from pypdf import PdfReader

    assert len(PdfReader(saved).pages) > 5


def _select_containing(pg, selector: str, text: str) -> None:
    value = pg.eval_on_selector(selector, "(el, text) => [...el.options].find(o => o.text.includes(text)).value", text)
    pg.locator(selector).select_option(value)


def _open_matter(pg, server, number: str) -> None:
    pg.goto(server.url("/protection/"))
    pg.get_by_role("link", name=number, exact=True).click()
    pg.wait_for_load_state("networkidle")


def _as(pg, server, username: str) -> None:
    pg.context.clear_cookies()
    _login(pg, server, username, DEMO_PASSWORD)


def test_complaint_from_the_public_form_through_acceptance_referral_mediation_and_closure(page, server):
    from playwright.sync_api import expect

    page.goto(server.url("/portal/"))
    page.get_by_role("link", name="我要投诉举报").click()
    page.locator("input[name=kinds][value=complaint]").check()
    page.locator("#id_ip_type").select_option("trademark")
    page.locator("#id_submitter_name").fill("赵投诉")
    page.locator("#id_submitter_phone").fill("13912340000")
    page.locator("#id_respondent_name").fill("浏览器测试被投诉商行")
    page.locator("#id_region_code").select_option(index=1)
    page.locator("#id_trademarks").fill("12345678")
    page.locator("#id_facts").fill("被投诉人在同一种商品上使用与我方注册商标相同的标志。")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_load_state("networkidle")
    number = page.get_by_test_id("tracking-number").inner_text().strip()
    code = page.get_by_test_id("lookup-code").inner_text().strip()
    assert number.startswith("TS") and len(code) == 8

    _as(page, server, "district")
    _open_matter(page, server, number + "T")
    page.locator("input[name=decision][value=accept]").check()
    page.get_by_role("button", name="提交决定").click()
    expect(page.locator(".notice").first).to_contain_text("已受理")
    page.locator("#id_assign-assignee").select_option(index=1)  # 交办: the first handler of the office, by name
    person = page.locator("#id_assign-assignee option:checked").inner_text().split("（")[0]
    page.get_by_role("button", name="交办", exact=True).click()
    expect(page.locator(".notice").first).to_contain_text("已交办")
    expect(page.get_by_test_id("handler")).to_contain_text(person)
    _select_containing(page, "#id_to_org", "公安局")
    page.locator("#id_reason").fill("涉嫌销售假冒注册商标的商品，数额较大。")
    page.get_by_role("button", name="移送", exact=True).click()
    expect(page.get_by_test_id("referrals")).to_contain_text("公安局")

    _as(page, server, "liaison")
    _open_matter(page, server, number + "T")
    page.get_by_test_id("referral-reply-form").locator("textarea").fill("已接收，正在核查。")
    page.get_by_role("button", name="反馈办理情况").click()
    expect(page.get_by_test_id("referrals")).to_contain_text("已反馈")

    _as(page, server, "district")
    _open_matter(page, server, number + "T")
    page.locator("#id_mediator").fill("知识产权纠纷人民调解委员会")
    page.get_by_role("button", name="开始调解").click()
    page.locator("#id_result").select_option("agreed")
    page.locator("#id_agreement").fill("被投诉人停止使用该标志并赔偿 1 万元。")
    page.get_by_role("button", name="记录调解结果").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已办结")

    page.context.clear_cookies()
    page.goto(server.url(f"/portal/complaints/lookup/?tracking_number={number}&code={code}"))
    status = page.get_by_test_id("submission-status")
    expect(status).to_contain_text("已办结")
    history = page.get_by_test_id("submission-history")
    expect(history).to_contain_text("已受理")
    expect(history).to_contain_text("移送")
    expect(history).to_contain_text("达成调解协议")


def test_report_through_filing_legal_review_decision_and_masked_publication(page, server):
    from playwright.sync_api import expect

    page.goto(server.url("/portal/complaints/"))
    page.locator("input[name=kinds][value=report]").check()
    page.locator("#id_ip_type").select_option("counterfeit_patent")
    page.locator("#id_submitter_type").select_option("anonymous")
    page.locator("#id_respondent_kind").select_option("person")
    page.locator("#id_respondent_name").fill("李某某")
    page.locator("#id_region_code").select_option(index=1)
    page.locator("#id_patents").fill("ZL201310123456.2")
    page.locator("#id_facts").fill("集市摊位销售的产品标注已终止的专利号。")
    page.get_by_role("button", name="提交", exact=True).click()
    number = page.get_by_test_id("tracking-number").inner_text().strip()

    _as(page, server, "officer")
    _open_matter(page, server, number + "J")
    page.locator("input[name=decision][value=file]").check()
    for box in page.locator("input[name=officers]").all():
        box.check()
    page.locator("#id_cause").fill("涉嫌假冒专利")
    page.locator("#id_major").check()
    page.get_by_role("button", name="提交立案决定").click()
    page.get_by_test_id("case-link").click()
    page.get_by_test_id("request-review").click()
    expect(page.get_by_test_id("legal-review")).to_contain_text("待审核")
    case_url = page.url

    _as(page, server, "district")
    page.goto(case_url)
    page.locator("#id_passed").select_option("1")
    page.locator("#id_opinion").fill("事实清楚，证据确凿，程序合法，适用依据正确。")
    page.get_by_role("button", name="提交审核意见").click()
    expect(page.get_by_test_id("legal-review")).to_contain_text("通过")

    _as(page, server, "officer")
    page.goto(case_url)
    page.locator("#id_document_number").fill("浏览器测试处罚〔2026〕1号")
    page.locator("#id_party_kind").select_option("natural_person")
    page.locator("#id_party_name").fill("李某某")
    page.locator("#id_party_id_number").fill("11010519491231002X")
    page.locator("#id_violation").fill("假冒专利")
    page.locator("#id_basis").fill("《中华人民共和国专利法》第六十八条")
    page.locator("#id_penalty").fill("责令改正并予公告，罚款 3000 元")
    page.locator("#id_fine").fill("3000")
    page.locator("#id_text").fill("当事人：李某某，身份证号码：11010519491231002X，联系电话：13812345678。"
                                  "经查，当事人销售的产品标注已终止的专利号。证人张某某证实。")
    page.get_by_role("button", name="作出处理决定").click()
    page.locator("#id_extra_names").fill("张某某")
    page.get_by_role("button", name=re.compile("录入公示")).click()
    expect(page.get_by_test_id("disclosure")).to_contain_text("待审核")

    _as(page, server, "district")
    page.goto(case_url)
    page.get_by_test_id("sign-off").click()
    expect(page.get_by_test_id("disclosure")).to_contain_text("已公示")

    page.context.clear_cookies()
    page.goto(server.url("/portal/decisions/"))
    page.get_by_role("link", name="浏览器测试处罚〔2026〕1号").click()
    text = page.get_by_test_id("public-decision-text")
    expect(text).to_contain_text("110*************2X")
    expect(text).to_contain_text("138****5678")
    expect(text).to_contain_text("张**")
    body = page.locator("main").inner_text()
    assert "11010519491231002X" not in body and "13812345678" not in body and "张某某" not in body

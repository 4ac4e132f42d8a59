"""The real chat page in headless Debian Chromium, on a copy of the demo corpus index, uploads on.

Needs /usr/bin/chromium (test.sh installs it with apt-get); nothing is downloaded by Playwright.
On CI (CI=true) a missing browser is a failure, locally a skip. The app starts once for the module.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest

from conftest import OFFICER

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
OFSTED = "What did the scrutiny committee resolve about the Ofsted improvement plan?"
WAIT_MS = 120_000  # the first question also warms the app's embedding model
UPLOADED = ("Meeting: 14/03/2023 - Wexcombe County Council Executive (Item 9)\n\n"
            "9 Bandstand restoration in Quarry Gardens\n\n"
            "The Executive considered a report on restoring the Victorian bandstand in Quarry Gardens. "
            "Members noted that the ironwork had corroded and the roof leaked.\n\n"
            "RESOLVED that the bandstand restoration be funded from the heritage reserve.\n")


@pytest.fixture(scope="module")
def app(corpus_app):
    """python app.py --allow-upload, officers able to sign in, on a copy of the corpus index."""
    return corpus_app


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian chromium (apt-get install chromium; test.sh does this)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser, app, width=1366, height=900):
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.goto(app["url"], wait_until="load")
    page.locator("#question textarea").wait_for()
    return page


@pytest.fixture
def page(browser, app):
    page = open_page(browser, app)
    yield page
    page.context.close()


def ask(page, question: str, answers_before: int):
    """Type into the question box, press Enter, wait for the answer to replace the searching note."""
    from playwright.sync_api import expect

    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    bot = page.locator('#chat [data-testid="bot"]')
    expect(bot).to_have_count(answers_before + 1, timeout=WAIT_MS)
    expect(bot.nth(answers_before)).not_to_contain_text("Searching the records", timeout=WAIT_MS)
    return bot.nth(answers_before)


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_no_error_text(page):
    chat = page.locator("#chat").inner_text()
    assert "Traceback" not in chat and "something went wrong" not in chat, chat[:2000]
    assert not page.errors, page.errors


def test_citation_opens_its_card_and_the_record(page, tmp_path):
    from playwright.sync_api import expect

    message = ask(page, OFSTED, 0)
    expect(page.locator('#chat [data-testid="user"]').first).to_contain_text(OFSTED)
    assert "Searched: all councils" in message.inner_text()  # the scope is shown above the answer
    link = message.locator("a.cite").first
    expect(link).to_have_text("[1]")
    link.focus()
    page.keyboard.press("Enter")  # a citation is a link: the keyboard follows it too
    card = page.locator("#citations article.card").first
    expect(card).to_be_focused()
    expect(card).to_be_in_viewport()
    highlighted = flat(card.locator("mark").first.inner_text())
    assert highlighted and highlighted[:60] in flat(message.inner_text()), (highlighted, message.inner_text())
    for fact in ("Council", "Committee", "Meeting", "Item", "Page", "Document", "Decision"):
        expect(card.locator("dt", has_text=fact).first).to_be_visible()
    with page.expect_popup() as popup:
        card.get_by_role("link", name="Open record").click()
    record = popup.value
    record.wait_for_load_state()
    if record.url.split("#")[0].endswith("/file"):  # a PDF, opened at its page
        assert "#page=" in record.url
    else:
        cited = flat(record.locator("#passage").inner_text())
        assert highlighted[:60] in cited, (highlighted, cited[:300])
        assert record.url.endswith("#passage")
    with page.expect_download() as download:
        page.locator("#export-answer").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert exported.startswith(f"# {OFSTED}") and "## Sources" in exported and "[1] " in exported
    assert highlighted[:60] in flat(exported)  # the cited passage travels with the answer
    assert_no_error_text(page)
    page.screenshot(path=str(tmp_path / "card.png"), full_page=True)


def test_a_timeline_charts_each_councils_meetings_and_opens_one(page, tmp_path):
    from playwright.sync_api import expect

    message = ask(page, "How has social worker recruitment been discussed since 2020?", 0)
    meetings = int(re.search(r"charts the (\d+) meetings", message.inner_text())[1])
    assert meetings > len(message.locator("a.cite").all()) // 2  # more meetings than the answer cites
    page.get_by_role("tab", name="Timeline").click()
    expect(page.locator("#timeline-plot canvas, #timeline-plot svg").first).to_be_visible(timeout=30_000)
    page.locator("#timeline-meeting input").click()
    options = page.locator('[data-testid="dropdown-option"]')
    expect(options.first).to_be_visible()
    assert options.count() == meetings
    chosen = options.first.inner_text()
    options.first.click()
    shown = page.locator("#timeline-passages")
    when = chosen.split(" · ")[0]  # "13 July 2021 · Executive · Wexcombe County Council (3)"
    expect(shown.locator(".pager-status")).to_contain_text(f"on the topic from {when}")
    expect(shown.locator("li").first).to_contain_text(when)
    page.screenshot(path=str(tmp_path / "timeline.png"), full_page=True)
    assert_no_error_text(page)


def test_follow_up_keeps_the_topic_and_the_council(page):
    first = ask(page, OFSTED, 0)
    council = page.locator("#citations article.card").first.locator("dt:text-is('Council') + dd").inner_text()
    second = ask(page, "Who presented it?", 1)
    text = flat(second.inner_text())
    assert "do not answer" not in text, text  # alone, 'Who presented it?' is refused
    assert "scope kept from the last question" in text and council in text, text
    cards = page.locator("#citations section.turn").first.locator("article.card")
    for i in range(cards.count()):
        assert cards.nth(i).locator("dt:text-is('Council') + dd").inner_text() == council
    assert flat(first.inner_text()) != text
    assert_no_error_text(page)


def test_passages_mode_lists_either_term_and_exports_csv(page, tmp_path):
    from playwright.sync_api import expect

    page.get_by_label("Passages").check()
    message = ask(page, "recruitment or inclusion", 0)
    count = int(re.search(r"(\d+) passages? about", message.inner_text())[1])
    assert count >= 14, message.inner_text()  # the CLI's search -k 20 lists 14 or more
    expect(page.locator("#passages .pager-status")).to_contain_text(f"{count} passages")
    with page.expect_download() as download:
        page.locator("#export-csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == count
    texts = [r["text"].lower() for r in rows]
    assert any("recruit" in t for t in texts) and any("inclusion" in t for t in texts)
    page.locator("#page-next").click()
    expect(page.locator("#passages .pager-status")).to_contain_text("page 2 of")
    page.screenshot(path=str(tmp_path / "passages.png"), full_page=True)
    assert_no_error_text(page)


def test_year_filter_limits_the_list_and_a_bad_date_is_explained(page):
    from playwright.sync_api import expect

    page.locator("#filters").get_by_text("Filters").first.click()
    page.locator("#since-filter input, #since-filter textarea").first.fill("2021")
    page.locator("#since-filter input, #since-filter textarea").first.press("Tab")
    # each field's summary is computed by the server; on a loaded machine the first one's can arrive last
    expect(page.locator("#filters")).to_contain_text("2021-01-01 to now")
    page.locator("#until-filter input, #until-filter textarea").first.fill("2021")
    page.locator("#until-filter input, #until-filter textarea").first.press("Tab")
    expect(page.locator("#filters")).to_contain_text("2021-01-01 to 2021-12-31")
    page.get_by_label("Passages").check()
    ask(page, "recruitment", 0)
    with page.expect_download() as download:
        page.locator("#export-csv").click()
    dates = [r["date"] for r in csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8")))]
    assert dates and all(d.startswith("2021-") for d in dates), dates
    page.locator("#since-filter input, #since-filter textarea").first.fill("2021-13-45")
    page.locator("#question textarea").fill("recruitment")
    page.locator("#ask-button").click()
    expect(page.locator("#filter-status")).to_contain_text("not a date: '2021-13-45'")
    expect(page.locator("#question textarea")).to_have_value("recruitment")  # nothing typed is lost
    expect(page.locator('#chat [data-testid="user"]')).to_have_count(1)


HOSTILE = ("<html><body><main><h1>Wexcombe County Council Executive – 14 March 2023</h1>"
           "<script>window.pwned = 'script'</script>"
           "<p>10. Lantern festival in Quarry Gardens <img src=x onerror=\"window.pwned = 'onerror'\"></p>"
           "<p>The Executive considered the lantern festival. Someone pasted "
           "&lt;img src=x onerror=\"window.pwned = 'pasted'\"&gt; and &lt;script&gt;window.pwned = 'text'&lt;/script&gt; "
           "into the minutes.</p><p>RESOLVED that the lantern festival be held in October. "
           "<a href=\"javascript:window.pwned = 'link'\">Read more</a></p></main></body></html>")


def sign_in(page, app):
    from playwright.sync_api import expect

    page.goto(app["url"] + "login")
    page.locator("#name").fill(OFFICER[0])
    page.locator("#password").fill(OFFICER[1])
    page.get_by_role("button", name="Sign in").click()
    page.locator("#question textarea").wait_for()
    expect(page.locator("#account")).to_contain_text(f"Signed in as {OFFICER[0]}")


def no_script_ran(page):
    assert page.evaluate("typeof window.pwned") == "undefined", page.evaluate("window.pwned")
    assert page.locator("a[href^='javascript:'], img[src='x'], img[onerror]").count() == 0


def test_the_public_gets_no_upload_form_and_no_restricted_passage(page):
    from playwright.sync_api import expect

    expect(page.locator("#account")).to_contain_text("Public access")
    page.get_by_role("tab", name="Archive").click()
    expect(page.locator("#archive-facts")).to_be_visible()
    assert page.locator("#upload input[type=file]").count() == 0
    message = ask(page, "What did the Executive decide about buying the former Crossways bus depot?", 0)
    page.get_by_role("radio", name="Passages").check()
    ask(page, "Crossways bus depot purchase", 1)
    shown = page.locator("body").inner_text()
    assert "RESTRICTED" not in shown and "Crossways bus depot on Elmfield Road" not in shown, message.inner_text()
    assert_no_error_text(page)


def test_uploaded_record_is_indexed_found_and_opened(page, app, tmp_path):
    from playwright.sync_api import expect

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, app)  # only an officer can upload
    record = tmp_path / "2023-03-14-executive-bandstand.txt"
    record.write_text(UPLOADED, encoding="utf-8")
    junk = tmp_path / "notes.exe"
    junk.write_bytes(b"MZ\x00\x00")
    broken = tmp_path / "agenda.pdf"
    broken.write_bytes(b"this is not a PDF")
    hostile = tmp_path / "2023-03-14-executive-lanterns.html"
    hostile.write_text(HOSTILE, encoding="utf-8")
    page.get_by_role("tab", name="Archive").click()
    page.locator("#upload input[type=file]").set_input_files([str(record), str(junk), str(broken), str(hostile)])
    page.locator("#upload-button").click()
    results = page.locator("#upload-results table")
    expect(results).to_contain_text("indexed", timeout=WAIT_MS)
    expect(results.locator("tr", has_text="notes.exe")).to_contain_text("not a record format")
    expect(results.locator("tr", has_text="agenda.pdf")).to_contain_text("skipped")
    page.get_by_label("Passages").check()
    ask(page, "bandstand restoration", 0)
    listing = page.locator("#passages")
    expect(listing).to_contain_text("Quarry Gardens")
    with page.expect_popup() as popup:
        listing.locator("li", has_text="Quarry Gardens").first.get_by_role("link", name="Open record").click()
    opened = popup.value
    opened.wait_for_load_state()
    assert "bandstand" in opened.locator("#passage").inner_text().lower()
    assert_no_error_text(page)

    # a record written to attack the reader: its markup is shown as text, nothing in it runs
    page.get_by_role("radio", name="Answer").check()
    answer = ask(page, "What was resolved about the lantern festival?", 1)
    expect(answer).to_contain_text("lantern festival be held in October")
    card = page.locator("#citations article.card").first
    no_script_ran(page)
    with page.expect_popup() as popup:
        card.get_by_role("link", name="Open record").click()
    viewer = popup.value
    viewer.wait_for_load_state()
    expect(viewer.locator("#passage")).to_contain_text("lantern festival")
    expect(viewer.locator("body")).to_contain_text("<img src=x onerror=")  # the pasted markup, as characters
    expect(viewer.locator("body")).to_contain_text("<script>window.pwned")
    no_script_ran(viewer)
    assert not dialogs, dialogs
    page.locator("#account").get_by_role("button", name="Sign out").click()
    expect(page.locator("#account")).to_contain_text("Public access")


def test_typed_markup_is_shown_as_text_and_clear_resets(page):
    from playwright.sync_api import expect

    typed = "<img src=x onerror=alert(1)> what was decided?"
    ask(page, typed, 0)
    user = page.locator('#chat [data-testid="user"]').first
    expect(user).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator("#chat img[src='x']").count() == 0
    ask(page, OFSTED, 1)
    page.locator("#filters").get_by_text("Filters").first.click()
    page.locator("#since-filter input, #since-filter textarea").first.fill("2021")
    page.locator("#clear-button").click()
    expect(page.locator('#chat [data-testid="user"]')).to_have_count(0)
    expect(page.locator("#citations")).to_contain_text("The passages an answer cites appear here")
    expect(page.locator("#since-filter input, #since-filter textarea").first).to_have_value("")
    expect(page.locator("#chat")).to_contain_text("What the archive holds")  # the welcome is back
    after = ask(page, "Who presented it?", 0)  # no last turn any more: nothing to carry over
    assert "scope kept" not in after.inner_text() and "Searched: all councils" in after.inner_text()
    assert_no_error_text(page)


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_names_contrast_and_a_narrow_screen(browser, app, tmp_path):
    page = open_page(browser, app, width=390, height=844)
    try:
        assert page.locator("#question textarea").get_attribute("aria-label") == "Your question"
        button = page.locator("#ask-button").evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]")
        assert contrast(*button) >= 4.5, button
        placeholder = page.locator("#question textarea").evaluate("t => getComputedStyle(t, '::placeholder').color")
        box = page.locator("#question textarea").evaluate("t => getComputedStyle(t).backgroundColor")
        assert contrast(placeholder, box) >= 4.5, (placeholder, box)
        footer = page.locator("footer").first.evaluate(
            "f => [...f.querySelectorAll('a, button, span')].map(e => getComputedStyle(e).color)")
        assert footer and all(contrast(c, "rgb(255, 255, 255)") >= 4.5 for c in footer), footer
        message = ask(page, OFSTED, 0)
        name = message.get_attribute("aria-label") or ""
        assert "&#x27;" not in name and "<br>" not in name and "<span" not in name, name
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
        page.screenshot(path=str(tmp_path / "chat-390.png"), full_page=True)
        assert_no_error_text(page)
    finally:
        page.context.close()

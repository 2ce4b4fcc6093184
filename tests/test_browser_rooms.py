"""Workshop rooms end to end in Chromium: a presenter opens a room from Compare, five phone-sized pages
(390×844, English and Chinese) join by its link, propose with a guess, revise and vote, and the
presenter sees each within 2 s, reveals, moderates, and takes proposals into Compare and Present;
the same with the presenter on one app server and the participants on another sharing one
PostgreSQL; and 100 participants submitting within 30 s with the presenter's view keeping up."""
import json
import re
import threading
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from bench.appserver import streamlit_server
from pgserver import fresh_database
from store.rooms import RoomStore
from test_browser import ARTIFACTS, browser  # noqa: F401 - the shared browser (and the chromium check)
from test_browser_library import provider, signed_in_server  # noqa: F401 - the app with sign-in configured

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LIVE = 2_000  # ms: a proposal or a vote reaches the presenter's screen within this
WORDS = {"en": {"name": "Your name as others will see it", "join": "Join", "proposal": "Name of your proposal",
                "send": "Send my proposal", "update": "Update my proposal", "sent": "Sent (version {n})",
                "locked": "The presenter has locked this round", "results": "The model's numbers for your proposal",
                "vote_for": "The proposal you support (not your own)", "vote": "Vote", "voted": "Your vote is in"},
         "zh": {"name": "你的显示名称", "join": "加入", "proposal": "方案名称", "send": "提交方案", "update": "更新方案",
                "sent": "已提交（第 {n} 版）", "locked": "主持人已锁定本轮", "results": "模型对你方案的计算结果",
                "vote_for": "你支持的方案（不能投给自己）", "vote": "投票", "voted": "已投票"}}


def open_room(browser, url: str):  # noqa: F811
    presenter = browser.new_page(viewport={"width": 1280, "height": 720})
    presenter.goto(f"{url}/compare")
    presenter.get_by_role("button", name="Open a workshop room").click()
    presenter.wait_for_url("**/room?**", timeout=30_000)
    expect(presenter.get_by_text("No proposals yet")).to_be_visible(timeout=20_000)
    link = presenter.locator("[data-testid=stCode] code").first.inner_text()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/join\?room=[A-Z2-9]{6}", link)
    expect(presenter.get_by_role("img", name=f"QR code of the join link {link}")).to_be_visible()
    return presenter, link


def join(browser, link: str, name: str, lang: str):  # noqa: F811
    words = WORDS[lang]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(link + ("&lang=zh" if lang == "zh" else ""))
    phone.get_by_role("textbox", name=words["name"]).fill(name)
    phone.get_by_role("button", name=words["join"], exact=True).click()
    expect(phone.get_by_role("textbox", name=words["proposal"])).to_be_visible(timeout=20_000)
    phone.words = words
    return phone


def propose(phone, name: str, payment_steps: int, guess: str | None, revision: int = 1) -> None:
    words = phone.words
    phone.get_by_role("textbox", name=words["proposal"]).fill(name)
    slider = phone.get_by_role("slider").first
    slider.focus()
    for _ in range(payment_steps):
        slider.press("PageUp")
    if guess is not None:
        phone.get_by_role("spinbutton").fill(guess)
    phone.get_by_role("button", name=words["update" if revision > 1 else "send"]).click()
    expect(phone.get_by_text(words["sent"].format(n=revision))).to_be_visible(timeout=15_000)


def choose(page, box: str, option: str, touch: bool = False) -> None:
    """Pick `option` in the drop-down list labelled `box`: opened again if a rerun of the page closed it
    before the option was reached."""
    combobox = page.get_by_role("combobox", name=box)
    expect(combobox).to_be_visible(timeout=10_000)
    for _ in range(3):
        combobox.tap() if touch else combobox.click()
        try:
            page.get_by_role("option", name=option).first.click(timeout=3_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    else:
        raise AssertionError(f"{option!r} not offered in {box!r}")
    if not touch:  # a multiselect's list stays open: click beside it (Escape would clear a selectbox)
        page.mouse.click(2, 300)


def cell(page, content: str):
    return page.get_by_role("cell", name=content, exact=True)


def run_workshop(browser, presenter, link: str, participants: list[tuple[str, str]]):  # noqa: F811
    """Everyone joins, proposes (with a guess) and the presenter sees each within LIVE ms; one revises."""
    phones = []
    for number, (name, lang) in enumerate(participants):
        phone = join(browser, link, name, lang)
        propose(phone, f"Plan {number} of {name}", number + 1, str(10 * number) if number % 2 == 0 else None)
        expect(cell(presenter, f"Plan {number} of {name}")).to_be_visible(timeout=LIVE)
        phones.append(phone)
    propose(phones[0], f"Plan 0 of {participants[0][0]}, revised", 2, "5", revision=2)
    expect(cell(presenter, f"Plan 0 of {participants[0][0]}, revised")).to_be_visible(timeout=LIVE)
    expect(cell(presenter, f"Plan 0 of {participants[0][0]}")).to_have_count(0)
    return phones


@pytest.mark.slow
def test_a_workshop_from_opening_to_presenting(browser, tmp_path):  # noqa: F811
    people = [("Ana", "en"), ("Bo 波", "zh"), ("Chen (merchants)", "en"), ("Dara", "zh"),
              ("https://evil.example/login", "en")]
    with streamlit_server(env={"INTERCONNECT_SAVED_DIR": str(tmp_path / "saved")}) as url:
        presenter, link = open_room(browser, url)
        code = link.rsplit("=", 1)[1]
        phones = run_workshop(browser, presenter, link, people)
        expect(presenter.get_by_text("Open · 5 participants, 5 proposals, 0 votes")).to_be_visible()
        assert presenter.locator("a[href*='evil']").count() == 0       # a participant's text is never a link

        presenter.get_by_role("button", name="Lock the round").click()
        for phone in phones:
            expect(phone.get_by_text(phone.words["locked"])).to_be_visible(timeout=10_000)
            expect(phone.get_by_role("button", name=phone.words["update"])).to_be_disabled()

        presenter.get_by_role("button", name="Reveal results").click()
        expect(presenter.get_by_text("Guesses and the model: Consumer gain")).to_be_visible(timeout=10_000)
        expect(presenter.locator("table.data").nth(1).locator("tbody tr")).to_have_count(3)  # three guessed
        for phone in phones:
            expect(phone.get_by_text(phone.words["results"])).to_be_visible(timeout=10_000)

        presenter.get_by_role("button", name="Open the vote").click()
        for number, phone in enumerate(phones):
            target = f"Plan {(number + 1) % 5} of {people[(number + 1) % 5][0]}"
            choose(phone, phone.words["vote_for"], target, touch=True)
            phone.get_by_role("button", name=phone.words["vote"], exact=True).click()
            expect(phone.get_by_text(phone.words["voted"])).to_be_visible(timeout=10_000)
            expect(presenter.get_by_text(f"{number + 1} votes")).to_be_visible(timeout=LIVE)

        choose(presenter, "Hidden proposals (moderation)", "Plan 4 of https")
        expect(cell(presenter, "Plan 4 of https://evil.example/login")).to_have_count(0, timeout=LIVE)
        expect(presenter.get_by_text("Open · 5 participants, 4 proposals")).to_be_visible()

        presenter.get_by_role("radio", name="中文").click()
        expect(presenter.get_by_role("button", name="结束投票")).to_be_visible(timeout=10_000)
        presenter.get_by_role("radio", name="English").click()
        expect(presenter.get_by_role("button", name="Close the vote")).to_be_visible(timeout=10_000)
        for plan in ("Plan 1 of Bo 波", "Plan 2 of Chen (merchants)"):
            choose(presenter, "Proposals to compare or present", plan)
        presenter.get_by_role("button", name="Compare them").click()
        presenter.wait_for_url("**/compare**", timeout=20_000)
        expect(presenter.get_by_role("columnheader", name="Plan 1 of Bo 波 (Bo 波)").first).to_be_visible(timeout=20_000)
        presenter.get_by_role("button", name=f"Back to workshop room {code}").click()
        choose(presenter, "Proposals to compare or present", "Plan 3 of Dara")
        presenter.get_by_role("button", name="Present them").click()
        presenter.wait_for_url("**/present**", timeout=20_000)
        # the presenter's own levers are the status quo, which Present gives no slide: the deck opens on the proposal
        expect(presenter.locator("h1.deck-title")).to_have_text("Plan 3 of Dara (Dara)", timeout=20_000)

        presenter.get_by_role("button", name=f"Back to workshop room {code}").click()
        presenter.get_by_role("button", name="Close the room").click()
        phones[1].reload()
        expect(phones[1].get_by_text("主持人已关闭此房间")).to_be_visible(timeout=20_000)
        for phone in phones:
            phone.context.close()
        presenter.close()


@pytest.mark.slow
def test_presenter_and_participants_on_two_app_servers_sharing_postgresql(postgres, browser, tmp_path):  # noqa: F811
    env = {"INTERCONNECT_DATABASE_URL": fresh_database(postgres), "INTERCONNECT_SAVED_DIR": str(tmp_path / "saved")}
    with streamlit_server(env=env) as first, streamlit_server(env=env) as second:
        presenter, link = open_room(browser, first)
        elsewhere = link.replace(first, second)
        assert elsewhere != link
        phones = run_workshop(browser, presenter, elsewhere, [("Ana", "en"), ("Bo", "zh"), ("Chen", "en")])
        presenter.get_by_role("button", name="Open the vote").click()
        phone = phones[1]
        choose(phone, phone.words["vote_for"], "Plan 2 of Chen", touch=True)
        phone.get_by_role("button", name=phone.words["vote"], exact=True).click()
        expect(presenter.get_by_text("3 proposals, 1 votes")).to_be_visible(timeout=LIVE + 5_000)
        for phone in phones:
            phone.context.close()
        presenter.close()


@pytest.mark.slow
def test_with_sign_in_configured_opening_a_room_needs_it(signed_in_server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{signed_in_server}/compare")
    expect(page.get_by_role("button", name="Open a workshop room")).to_be_disabled(timeout=30_000)
    page.close()


LOAD_PARTICIPANTS = 100
LOAD_SECONDS = 25  # the submissions are spread over this (the issue asks for 100 within 30 s)


@pytest.mark.slow
def test_a_hundred_participants_within_30_seconds_lose_nothing_and_the_presenter_keeps_up(browser, tmp_path):  # noqa: F811
    """100 participants join and submit through the code the participant page runs (store.rooms on the
    server's database, a thread each: 100 browser pages do not fit two cores), paced over 25 s,
    while the presenter's page is open. Every proposal arrives, and the presenter's count reaches each
    one within 2 s of its commit. The figures go to test-artifacts/room-load.json (docs/RELIABILITY.md)."""
    saved = tmp_path / "saved"
    with streamlit_server(env={"INTERCONNECT_SAVED_DIR": str(saved)}) as url:
        presenter, link = open_room(browser, url)
        code = link.rsplit("=", 1)[1]
        store = RoomStore(f"sqlite:///{saved / 'library.sqlite3'}")
        levers = dict(store.data.status_quo_levers)
        committed, failures, lock = [], [], threading.Lock()
        start, wall_start = time.monotonic(), time.time()

        def participant(number: int) -> None:
            time.sleep(max(0.0, start + number * LOAD_SECONDS / LOAD_PARTICIPANTS - time.monotonic()))
            try:
                _, token = store.join(code, f"Participant {number:03d}")
                store.propose(code, token, f"Plan {number:03d}", dict(levers, payment_interop=number / 100),
                              guess=float(number))
            except Exception as error:  # collected and asserted below
                failures.append(repr(error))
            else:
                with lock:
                    committed.append(time.time())

        # The page notes (by the browser's clock, the machine's) when each count first shows.
        presenter.evaluate("""() => { window.roomSeen = {}; const note = () => {
            const status = document.querySelector('p.room-status'); const shown = status && /(\\d+) proposals/.exec(status.textContent);
            for (let count = 1; shown && count <= Number(shown[1]); count++) window.roomSeen[count] ??= Date.now() / 1000; };
            new MutationObserver(note).observe(document.body, {childList: true, subtree: true, characterData: true}); }""")
        threads = [threading.Thread(target=participant, args=(n,)) for n in range(LOAD_PARTICIPANTS)]
        for thread in threads:
            thread.start()
        while len(committed) < LOAD_PARTICIPANTS and time.monotonic() - start < LOAD_SECONDS + 10:
            time.sleep(0.5)
        expect(presenter.get_by_text(f"{LOAD_PARTICIPANTS} participants, {LOAD_PARTICIPANTS} proposals")).to_be_visible(
            timeout=10_000)
        for thread in threads:
            thread.join()
        elapsed = max(committed) - wall_start if committed else float("nan")
        seen = {int(count): moment for count, moment in presenter.evaluate("window.roomSeen").items()}

        assert failures == []
        assert len(store.proposals(code)) == LOAD_PARTICIPANTS and elapsed < 30
        expect(presenter.locator("table.data tbody tr")).to_have_count(LOAD_PARTICIPANTS)
        lags = sorted(seen[k] - t for k, t in enumerate(sorted(committed), start=1))
        figures = {"participants": LOAD_PARTICIPANTS, "submitted_within_s": round(elapsed, 1),
                   "lost": LOAD_PARTICIPANTS - len(store.proposals(code)),
                   "presenter_lag_s": {"median": round(lags[len(lags) // 2], 2),
                                       "p95": round(lags[int(len(lags) * 0.95) - 1], 2), "max": round(lags[-1], 2)}}
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "room-load.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
        print(figures)
        assert lags[-1] <= LIVE / 1000, figures
        presenter.close()

"""Who the load test's people are (the demo's ``ROLE1@CODE`` accounts), shared by the
locustfile and the driver, which signs them in before the load starts."""
from __future__ import annotations

import math
import re
from concurrent.futures import ThreadPoolExecutor

GUANGZHOU_DISTRICTS = ("440103", "440104", "440105", "440106", "440111", "440112",
                       "440113", "440114", "440115", "440117", "440118")
CITIES = ("440100", "440200", "440300", "440400", "440500", "440600", "440700", "440800",
          "440900", "441200", "441300", "441400", "441500", "441600", "441700", "441800",
          "441900", "442000", "445100", "445200", "445300")
# Locust user class -> (weight, its accounts, taken in turn)
PEOPLE = {
    "DistrictUser": (6, tuple(f"prosecutor{i}@{code}" for i in range(1, 5)
                              for code in GUANGZHOU_DISTRICTS)),
    "CaseManager": (2, tuple(f"casemanager1@{code}" for code in CITIES)),
    "Inspector": (2, ("inspector1@440000", *(f"inspector1@{code}" for code in CITIES))),
}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def needed(users: int) -> list[str]:
    """The accounts ``users`` Locust users will take (by weight, one spare a class)."""
    total = sum(weight for weight, _ in PEOPLE.values())
    out = []
    for weight, accounts in PEOPLE.values():
        out += accounts[:min(len(accounts), math.ceil(users * weight / total) + 1)]
    return out


def sign_in(base: str, account: str, password: str) -> dict:
    """Sign in through the page; the session's cookies."""
    import requests

    with requests.Session() as session:
        page = session.get(f"{base}/login", timeout=300)
        done = session.post(f"{base}/login", timeout=300, data={
            "csrf_token": CSRF.search(page.text).group(1), "username": account,
            "password": password})
        if done.status_code != 200 or "/login" in done.url:
            raise RuntimeError(f"{account} could not sign in ({done.status_code})")
        return session.cookies.get_dict()


def sign_in_all(base: str, accounts: list[str], password: str, parallel: int = 2) -> dict:
    """account -> cookies, signing in ``parallel`` at a time."""
    with ThreadPoolExecutor(parallel) as pool:
        return dict(zip(accounts, pool.map(lambda a: sign_in(base, a, password), accounts),
                        strict=True))

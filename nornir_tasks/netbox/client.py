"""A small, fast REST client for NetBox 4.x: explicit pages fetched concurrently, retries with backoff, bulk
writes, and errors turned into one sentence (token missing or refused, NetBox unreachable).

It speaks to NetBox with ``requests`` (the HTTP library pynetbox is built on) because the inventory load needs
raw JSON pages fetched concurrently with ``fields``/``omit``; pynetbox's ``Record`` objects cost more than the
whole HTTP exchange at national scale.
"""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from nornir_tasks.errors import NetBoxError

logger = logging.getLogger(__name__)

RETRY_STATUS = {429, 502, 503, 504}


class BulkFailed(Exception):
    """A bulk write NetBox refused (all-or-nothing); ``detail`` is NetBox's JSON error."""

    def __init__(self, status: int, detail: Any) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail


def token_from_env(name: str) -> str:
    """The API token from environment variable ``name``.

    Raises:
        NetBoxError: (NBX-001) when the variable is not set or empty.
    """
    token = os.environ.get(name, "").strip()
    if not token:
        raise NetBoxError(f"the NetBox API token is missing: environment variable {name} is not set",
                          code="NBX-001", hint=f"export {name}=<token> (scripts/netbox-dev up prints one)")
    return token


def auth_header(token: str) -> str:
    """``Authorization`` header value: v2 tokens (``nbt_<key>.<secret>``) are Bearer, v1 tokens are Token.

    Examples:
        >>> auth_header("nbt_abc.def"), auth_header("0123456789abcdef")
        ('Bearer nbt_abc.def', 'Token 0123456789abcdef')
    """
    return f"Bearer {token}" if token.startswith("nbt_") else f"Token {token}"


class NetBoxClient:
    """One NetBox server. ``url`` like ``http://127.0.0.1:18080``."""

    def __init__(self, url: str, token: str, *, timeout: float = 120.0, retries: int = 4, page_size: int = 1000,
                 workers: int = 4) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.page_size = page_size
        self.workers = workers
        self.session = requests.Session()
        self.session.trust_env = False   # loopback only; no proxy from the environment
        self.session.headers.update({"Authorization": auth_header(token), "Accept": "application/json",
                                     "Content-Type": "application/json"})
        adapter = requests.adapters.HTTPAdapter(pool_connections=workers, pool_maxsize=max(workers, 4))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.request_ids: list[str] = []

    # -------------------------------------------------------------------------------------------- transport
    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                json: Any = None) -> requests.Response:
        """One HTTP request with retries (connection errors, 429/502/503/504, deadlocks) and backoff."""
        url = path if path.startswith("http") else f"{self.url}/api/{path.strip('/')}/"
        delay = 0.5
        for attempt in range(self.retries + 1):
            try:
                resp = self.session.request(method, url, params=params, json=json, timeout=self.timeout)
            except requests.ConnectionError as exc:
                if attempt == self.retries:
                    raise NetBoxError(f"NetBox at {self.url} is unreachable ({type(exc).__name__})",
                                      code="NBX-002", hint="check the URL in config.yaml and that NetBox runs "
                                      "(scripts/netbox-dev status)") from exc
            except requests.Timeout as exc:
                if attempt == self.retries:
                    raise NetBoxError(f"NetBox at {self.url} did not answer within {self.timeout:.0f} s",
                                      code="NBX-002", hint="try again, or raise the timeout") from exc
            else:
                if resp.status_code in (401, 403):
                    raise NetBoxError(f"NetBox at {self.url} refused the API token (HTTP {resp.status_code})",
                                      code="NBX-001", hint="check the token in the environment variable named in "
                                      "config.yaml (netbox.token_env) and that it may write")
                retry = resp.status_code in RETRY_STATUS or (resp.status_code >= 500 and "deadlock" in resp.text)
                if not retry or attempt == self.retries:
                    rid = resp.headers.get("X-Request-ID")
                    if rid and method != "GET":
                        self.request_ids.append(rid)
                    return resp
            logger.debug("%s %s: retry %d in %.1f s", method, url, attempt + 1, delay)
            time.sleep(delay)
            delay = min(delay * 2, 8.0)
        raise AssertionError("unreachable")

    def check(self) -> dict[str, Any]:
        """NetBox's ``/api/status/`` (also proves the token works)."""
        resp = self.request("GET", "status")
        if resp.status_code != 200:
            raise NetBoxError(f"NetBox at {self.url} answered HTTP {resp.status_code} to /api/status/",
                              code="NBX-002", hint="is this a NetBox URL?")
        try:
            data = resp.json()
        except ValueError as exc:
            raise NetBoxError(f"{self.url} is not a NetBox API (no JSON from /api/status/)", code="NBX-002",
                              hint="check the URL in config.yaml") from exc
        # /api/status/ is readable without a token on some setups: prove the token on an authenticated list
        self.request("GET", "users/tokens", params={"limit": 1})
        return data

    # -------------------------------------------------------------------------------------------- reads
    def _page(self, endpoint: str, params: dict[str, Any], offset: int) -> dict[str, Any]:
        resp = self.request("GET", endpoint, params={**params, "limit": self.page_size, "offset": offset})
        if resp.status_code != 200:
            raise NetBoxError(f"NetBox at {self.url} answered HTTP {resp.status_code} to GET /api/{endpoint}/: "
                              f"{resp.text[:200]}", code="NBX-003", hint="see NetBox's log")
        return resp.json()

    def get_all(self, endpoint: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every object of an endpoint: the first page tells the count, the others are fetched concurrently."""
        params = dict(params or {})
        first = self._page(endpoint, params, 0)
        results = list(first["results"])
        count = first.get("count", len(results))
        offsets = list(range(self.page_size, count, self.page_size))
        if offsets:
            with ThreadPoolExecutor(max_workers=self.workers) as pool:
                for page in pool.map(lambda o: self._page(endpoint, params, o), offsets):
                    results.extend(page["results"])
        return results

    def get_many(self, endpoints: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        """Several endpoints at once (name → (endpoint, params)), their pages in one pool."""
        firsts: dict[str, dict[str, Any]] = {}
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = {name: pool.submit(self._page, ep, params, 0) for name, (ep, params) in endpoints.items()}
            for name, fut in futures.items():
                firsts[name] = fut.result()
            later = {(name, off): pool.submit(self._page, endpoints[name][0], endpoints[name][1], off)
                     for name, first in firsts.items()
                     for off in range(self.page_size, first.get("count", 0), self.page_size)}
            out = {name: list(first["results"]) for name, first in firsts.items()}
            for (name, _off), fut in sorted(later.items(), key=lambda kv: kv[0]):
                out[name].extend(fut.result()["results"])
        return out

    # -------------------------------------------------------------------------------------------- writes
    def bulk(self, method: str, endpoint: str, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One bulk POST/PATCH/DELETE (a list body). Raises :class:`BulkFailed` when NetBox refuses it."""
        resp = self.request(method, endpoint, json=bodies)
        if resp.status_code in (200, 201):
            data = resp.json()
            return data if isinstance(data, list) else [data]
        if resp.status_code == 204:
            return []
        try:
            detail: Any = resp.json()
        except ValueError:
            detail = resp.text[:500]
        raise BulkFailed(resp.status_code, detail)

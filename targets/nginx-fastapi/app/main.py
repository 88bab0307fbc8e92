"""The compliant reference app of layercheck's embedded stack.

It answers the way a careful FastAPI deployment should (complete Allow on 405,
WWW-Authenticate on 401, no internals on 500, a request ID on every response),
and each LAYERCHECK_BROKEN switch undoes exactly one of those so the stack can
serve as a negative control. Stock FastAPI/Starlette behaviour is what most
switches restore: that is the point, the checks must catch it.
"""

import asyncio
import itertools
import json
import logging
import math
import os
import re
import secrets
import signal
import sqlite3
import time
import urllib.request
import uuid
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.datastructures import MutableHeaders
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Match

BROKEN = frozenset(filter(None, os.environ.get("LAYERCHECK_BROKEN", "").split(",")))
KNOWN_BREAKS = {
    "allow-incomplete",  # stock Starlette: Allow from the first partially matching route only
    "allow-stale-on-large",  # one route of many (/large) answers 405 with a hand-written Allow that omits HEAD
    "unknown-method-400",  # a method outside a fixed list gets 400 before routing, as node:http does (RFC 9110 §9.1: 501)
    "www-authenticate-missing",  # 401 without the challenge RFC 9110 §11.6.1 requires
    "auth-403",  # FastAPI < 0.122: 403 for missing or bad credentials
    "scope-unchecked",  # any valid token reaches admin routes
    "stats-auth-ignored",  # /admin/stats declares the bearer scheme in OpenAPI but enforces nothing
    "lenient-content-type",  # JSON parsed whatever the Content-Type says
    "optional-body",  # a missing body is accepted
    "first-error-only",  # 422 names only the first failing field
    "name-length-unchecked",  # Item.name's maxLength is published in /openapi.json but not enforced
    "item-id-untyped",  # GET /items/{item_id} documents an integer but converts the segment by hand: a wrong type raises (500)
    "validation-400",  # validation errors answered 400, where the document (FastAPI's) declares 422
    "large-unbounded",  # /large publishes no maximum for kb and hands it to itertools.islice: a huge one raises (500)
    "unparseable-undeclared",  # POST /items and /login answer 400 for a body that is not UTF-8 without declaring it
    "traceback",  # debug mode: the 500 body carries the traceback
    "request-id-missing-on-errors",  # stock 500 path: no request ID on the response
    "request-id-unvalidated",  # any client ID is echoed verbatim
    "request-id-replaced",  # client IDs are never echoed: always a new one
    "request-id-not-generated",  # no ID when the client sent none
    "handler-timeout-500",  # an in-app timeout (0.5 s) answers 500 before the proxy's 504
    "stream-large",  # /large is streamed without a length: only the connection's close ends it
    "cors-wildcard-credentials",  # allow_origins=["*"] with credentials: Starlette then reflects any Origin
    "no-trusted-host",  # any Host header is served
    "no-cors",  # no CORS middleware: no grants, preflights fall through to routing (405)
    "logs-login-body",  # the login handler logs the request body, password included
    "rate-limit-before-auth",  # the limiter runs before auth, keyed by client address: anonymous floods use up everyone's quota
    "rate-limit-no-retry-after",  # 429 without Retry-After
    "downstream-drops-request-id",  # calls the downstream service without the request ID
    # Not a fault: a deployment whose JSON endpoint needs a token (profile auth.sendTokenTo).
    "items-need-token",  # POST /items requires a valid bearer token
    # Not a fault: an API that serves no OpenAPI document, as most non-FastAPI APIs (a bare run and init must cope).
    "no-openapi",  # no /openapi.json and no /docs
}
unknown = BROKEN - KNOWN_BREAKS
if unknown:
    raise SystemExit(f"LAYERCHECK_BROKEN: unknown switch(es) {sorted(unknown)}; known: {sorted(KNOWN_BREAKS)}")

log = logging.getLogger("reference-app")
INSTANCE = os.environ.get("APP_INSTANCE", "-")
logging.basicConfig(level=logging.INFO, format=f"%(asctime)s %(levelname)s instance={INSTANCE} pid=%(process)d %(message)s")

# Tokens come from the environment, never from a file: token -> scopes.
TOKENS = {
    os.environ.get("APP_USER_TOKEN", ""): {"read"},
    os.environ.get("APP_ADMIN_TOKEN", ""): {"read", "admin"},
}
TOKENS.pop("", None)

# The browser origins the reference documents for credentialed CORS.
CORS_ORIGINS = ["https://app.example.com"]

# Heroku-like: 8–200 characters of a conservative alphabet, else regenerate.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:@+=/-]{8,200}$")
REQUEST_ID_HEADER = "X-Request-ID"


def choose_request_id(incoming: str | None) -> str | None:
    if incoming and "request-id-replaced" not in BROKEN:
        if "request-id-unvalidated" in BROKEN or REQUEST_ID_PATTERN.match(incoming):
            return incoming
    if not incoming and "request-id-not-generated" in BROKEN:
        return None
    return str(uuid.uuid4())


class RequestIdMiddleware:
    """Outermost of our middleware (pure ASGI, so it also sees exception-handler responses)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        incoming = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None)
        request_id = choose_request_id(incoming)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = {"code": 0}

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                if request_id is not None:
                    MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Answer the 500 here rather than let the exception reach Starlette's
            # ServerErrorMiddleware: it re-raises after answering, uvicorn then
            # closes the connection, and a keep-alive proxy that reuses it in
            # that instant answers the next request with a 502 (the keep-alive race).
            if status["code"] or BROKEN & {"traceback", "request-id-missing-on-errors"}:
                raise
            log.exception("unhandled exception request_id=%s method=%s path=%s", request_id, scope["method"], scope["path"])
            await JSONResponse(
                {"detail": "Internal Server Error", "request_id": request_id}, status_code=500,
            )(scope, receive, send_with_id)
        finally:
            # Safe fields only (seed, Part 9): never bodies, never Authorization.
            log.info(
                "request_id=%s method=%s path=%s status=%s duration_ms=%.1f",
                request_id, scope["method"], scope["path"], status["code"] or 500,
                (time.perf_counter() - started) * 1000,
            )


app = FastAPI(
    title="layercheck reference app",
    debug="traceback" in BROKEN,
    strict_content_type="lenient-content-type" not in BROKEN,
    openapi_url=None if "no-openapi" in BROKEN else "/openapi.json",
)
# Innermost first: Starlette wraps each middleware added later around the earlier ones.
if "no-trusted-host" not in BROKEN:
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost", "::1"])
if "no-cors" not in BROKEN:
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"] if "cors-wildcard-credentials" in BROKEN else CORS_ORIGINS,
        allow_credentials=True,
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        expose_headers=["X-Request-ID"],
        max_age=600,
    )
if "handler-timeout-500" in BROKEN:
    class HandlerTimeoutMiddleware:
        """A common anti-pattern: the app times out slow handlers itself, with a 500."""

        def __init__(self, app):
            self.app = app

        async def __call__(self, scope, receive, send):
            if scope["type"] != "http":
                return await self.app(scope, receive, send)
            try:
                await asyncio.wait_for(self.app(scope, receive, send), timeout=0.5)
            except asyncio.TimeoutError:
                await JSONResponse({"detail": "Handler timed out"}, status_code=500)(scope, receive, send)

    app.add_middleware(HandlerTimeoutMiddleware)
if "unknown-method-400" in BROKEN:
    STANDARD_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"}

    class UnknownMethod400:
        """As node:http does: a method outside a fixed list is refused as malformed, before routing."""

        def __init__(self, app):
            self.app = app

        async def __call__(self, scope, receive, send):
            if scope["type"] == "http" and scope["method"] not in STANDARD_METHODS:
                return await JSONResponse({"detail": "Bad Request"}, status_code=400)(scope, receive, send)
            await self.app(scope, receive, send)

    app.add_middleware(UnknownMethod400)
app.add_middleware(RequestIdMiddleware)


# --- errors ---------------------------------------------------------------

def allowed_methods(request: Request) -> list[str]:
    """Every method of every route whose path matches: RFC 9110 §15.5.6 wants the full set."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE and getattr(route, "methods", None):
            methods |= route.methods
    return sorted(methods)


@app.exception_handler(StarletteHTTPException)
async def http_exception_handler(request: Request, exc: StarletteHTTPException):
    headers = dict(exc.headers or {})
    if exc.status_code == 405 and "allow-incomplete" not in BROKEN:
        headers["Allow"] = ", ".join(allowed_methods(request))
        if "allow-stale-on-large" in BROKEN and request.url.path == "/large":
            headers["Allow"] = "GET"
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)


@app.exception_handler(RequestValidationError)
async def validation_exception_handler(request: Request, exc: RequestValidationError):
    errors = [{"type": e["type"], "loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
    if "first-error-only" in BROKEN:
        errors = errors[:1]
    return JSONResponse({"detail": errors}, status_code=400 if "validation-400" in BROKEN else 422)


if "traceback" not in BROKEN:
    @app.exception_handler(Exception)
    async def unhandled_exception_handler(request: Request, exc: Exception):
        # ServerErrorMiddleware sits outside every user middleware, so the request
        # ID must be added here or the 500 goes out without it.
        request_id = getattr(request.state, "request_id", None)
        headers = {}
        if request_id and "request-id-missing-on-errors" not in BROKEN:
            headers[REQUEST_ID_HEADER] = request_id
        return JSONResponse(
            {"detail": "Internal Server Error", "request_id": request_id},
            status_code=500,
            headers=headers,
        )


# --- auth -----------------------------------------------------------------

bearer = HTTPBearer(auto_error=False)


def unauthorized(error: str | None) -> HTTPException:
    if "auth-403" in BROKEN:
        return HTTPException(403, "Not authenticated")
    challenge = 'Bearer realm="layercheck"' + (f', error="{error}"' if error else "")
    headers = {} if "www-authenticate-missing" in BROKEN else {"WWW-Authenticate": challenge}
    return HTTPException(401, "Not authenticated", headers=headers)


def token_scopes(token: str) -> set[str] | None:
    for known, scopes in TOKENS.items():
        if secrets.compare_digest(known.encode(), token.encode()):
            return scopes
    return None


def require(scope: str):
    async def dependency(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]):
        if credentials is None:
            raise unauthorized(None)
        scopes = token_scopes(credentials.credentials)
        if scopes is None:
            raise unauthorized("invalid_token")
        if scope not in scopes and "scope-unchecked" not in BROKEN:
            raise HTTPException(
                403, "Insufficient scope",
                headers={"WWW-Authenticate": f'Bearer realm="layercheck", error="insufficient_scope", scope="{scope}"'},
            )
        return scopes

    return dependency


# --- routes ---------------------------------------------------------------

# Every status a route answers is declared (responses=), so a client generated from /openapi.json
# knows them all; FastAPI adds 422 itself wherever a route validates input.
UNAUTHORIZED = {401: {"description": "Missing or invalid bearer token"}}
FORBIDDEN = {403: {"description": "The token lacks the scope"}}
NOT_FOUND = {404: {"description": "No such item"}}
TOO_MANY = {429: {"description": "Over the quota; see Retry-After"}}
# Starlette's answer to a body it cannot decode (bytes that are not UTF-8): before validation, so not a 422.
UNPARSEABLE = {} if "unparseable-undeclared" in BROKEN else {400: {"description": "The body could not be decoded"}}

NAME_MAX_LENGTH = 100


class Item(BaseModel):
    # name-length-unchecked: the bound is published (json_schema_extra) but Pydantic is never told to enforce it.
    name: str = (
        Field(min_length=1, json_schema_extra={"maxLength": NAME_MAX_LENGTH}) if "name-length-unchecked" in BROKEN
        else Field(min_length=1, max_length=NAME_MAX_LENGTH)
    )
    # Whitespace spelled out, not \s: Python's \s also matches U+0085 and U+001C–U+001F, ECMA-262's (the dialect
    # OpenAPI patterns are read in) does not, and the published pattern must accept exactly what the app does.
    email: str = Field(pattern=r"^[^@ \t\n\r\f\v]+@[^@ \t\n\r\f\v]+\.[^@ \t\n\r\f\v]+$")
    quantity: int = Field(ge=1, le=1000)
    note: str | None = Field(default=None, max_length=4_000_000)


ITEMS: dict[int, dict] = {}

# GET routes also answer HEAD (RFC 9110 §9.3.2); stock FastAPI answers HEAD with 405.
READ = ["GET", "HEAD"]


@app.api_route("/health", methods=READ)
async def health():
    return {"status": "ok"}


@app.api_route("/items", methods=READ)
async def list_items():
    return {"items": list(ITEMS.values())}


# Route dependencies run before the body is validated: without the token, every probe of /items meets a 401.
ITEMS_AUTH = [Depends(require("read"))] if "items-need-token" in BROKEN else []

if "optional-body" in BROKEN:
    @app.post("/items", status_code=201, dependencies=ITEMS_AUTH, responses={**UNPARSEABLE, **(UNAUTHORIZED if ITEMS_AUTH else {})})
    async def create_item_optional(item: Item | None = None):
        return {"id": 0, **(item.model_dump() if item else {})}
else:
    @app.post("/items", status_code=201, dependencies=ITEMS_AUTH, responses={**UNPARSEABLE, **(UNAUTHORIZED if ITEMS_AUTH else {})})
    async def create_item(item: Item):
        item_id = len(ITEMS) + 1
        ITEMS[item_id] = {"id": item_id, **item.model_dump(exclude={"note"})}
        return ITEMS[item_id]


if "item-id-untyped" in BROKEN:
    # The document still says integer (openapi_extra), but the handler reads the raw segment and int() raises on "abc".
    ITEM_ID_DOCUMENTED = {"parameters": [{"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer", "title": "Item Id"}}]}

    @app.api_route("/items/{item_id}", methods=READ, responses=NOT_FOUND, openapi_extra=ITEM_ID_DOCUMENTED)
    async def get_item_untyped(request: Request):
        item_id = int(request.path_params["item_id"])
        if item_id not in ITEMS:
            raise HTTPException(404, "Item not found")
        return ITEMS[item_id]
else:
    @app.api_route("/items/{item_id}", methods=READ, responses=NOT_FOUND)
    async def get_item(item_id: int):
        if item_id not in ITEMS:
            raise HTTPException(404, "Item not found")
        return ITEMS[item_id]


@app.delete("/items/{item_id}", status_code=204, responses={**UNAUTHORIZED, **FORBIDDEN})
async def delete_item(item_id: int, _: Annotated[set, Depends(require("admin"))]):
    ITEMS.pop(item_id, None)
    return Response(status_code=204)


@app.api_route("/me", methods=READ, responses=UNAUTHORIZED)
async def me(scopes: Annotated[set, Depends(require("read"))]):
    return {"scopes": sorted(scopes)}


if "stats-auth-ignored" in BROKEN:
    # Declares the bearer scheme (so the OpenAPI document says it is secured) and never checks it.
    @app.api_route("/admin/stats", methods=READ, responses={**UNAUTHORIZED, **FORBIDDEN})
    async def admin_stats(_: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]):
        return {"items": len(ITEMS)}
else:
    @app.api_route("/admin/stats", methods=READ, responses={**UNAUTHORIZED, **FORBIDDEN})
    async def admin_stats(_: Annotated[set, Depends(require("admin"))]):
        return {"items": len(ITEMS)}


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


@app.post("/login", responses={**UNPARSEABLE, **UNAUTHORIZED})
async def login(credentials: Login, request: Request):
    if "logs-login-body" in BROKEN:
        log.info("login attempt body=%s", (await request.body()).decode(errors="replace"))
    # Safe fields only: who tried, never with what.
    log.info("login attempt user=%s", credentials.username[:40])
    raise HTTPException(401, "Invalid credentials", headers={"WWW-Authenticate": 'Bearer realm="layercheck"'})


# Rate limit (seed Part 5): after authentication, keyed by the token, so
# anonymous floods cannot spend an authenticated client's quota and 401s are
# never masked by 429s. A fixed window per key, kept in SQLite so every worker
# of every instance counts against the same quota (an in-process dict would
# multiply the quota by the number of workers).
_quota, _window = os.environ.get("APP_RATE_LIMIT", "5/3").split("/")
RATE_LIMIT = {"requests": int(_quota), "window_s": float(_window)}
_RATE_DB = os.path.join(os.environ.get("APP_STATE_DIR", "/tmp"), "rate-limit.sqlite")


def rate_limited(key: str) -> float | None:
    """Seconds until the key may retry when over quota, else None (and the request is counted)."""
    with sqlite3.connect(_RATE_DB, timeout=5, isolation_level=None) as db:
        db.execute("CREATE TABLE IF NOT EXISTS windows (key TEXT PRIMARY KEY, started REAL, used INTEGER)")
        db.execute("BEGIN IMMEDIATE")
        now = time.time()
        row = db.execute("SELECT started, used FROM windows WHERE key = ?", (key,)).fetchone()
        started, used = row if row else (now, 0)
        if now - started >= RATE_LIMIT["window_s"]:
            started, used = now, 0
        if used >= RATE_LIMIT["requests"]:
            db.execute("COMMIT")
            return RATE_LIMIT["window_s"] - (now - started)
        db.execute("INSERT OR REPLACE INTO windows VALUES (?, ?, ?)", (key, started, used + 1))
        db.execute("COMMIT")
        return None


def too_many(retry_after_s: float) -> HTTPException:
    headers = {} if "rate-limit-no-retry-after" in BROKEN else {"Retry-After": str(max(1, math.ceil(retry_after_s)))}
    return HTTPException(429, "Too Many Requests", headers=headers)


async def limit_by_token(scopes: Annotated[set, Depends(require("read"))], request: Request):
    wait = rate_limited("token:" + request.headers.get("authorization", ""))
    if wait is not None:
        raise too_many(wait)
    return scopes


async def limit_by_address(request: Request):
    wait = rate_limited("addr:" + (request.client.host if request.client else "-"))
    if wait is not None:
        raise too_many(wait)


if "rate-limit-before-auth" in BROKEN:
    @app.api_route("/limited", methods=READ, dependencies=[Depends(limit_by_address)], responses={**UNAUTHORIZED, **TOO_MANY})
    async def limited_broken(scopes: Annotated[set, Depends(require("read"))]):
        return {"ok": True}
else:
    @app.api_route("/limited", methods=READ, responses={**UNAUTHORIZED, **TOO_MANY})
    async def limited(scopes: Annotated[set, Depends(limit_by_token)]):
        return {"ok": True}


@app.api_route("/downstream", methods=READ)
async def call_downstream(request: Request):
    """Calls the downstream service (APP_DOWNSTREAM_URL), forwarding the request ID (seed Part 7)."""
    url = os.environ.get("APP_DOWNSTREAM_URL")
    if not url:
        raise HTTPException(503, "No downstream service configured")
    headers = {"User-Agent": "reference-app"}
    request_id = getattr(request.state, "request_id", None)
    if request_id and "downstream-drops-request-id" not in BROKEN:
        headers[REQUEST_ID_HEADER] = request_id

    def call() -> int:
        with urllib.request.urlopen(urllib.request.Request(url + "/work", headers=headers), timeout=5) as response:
            return response.status

    status = await asyncio.to_thread(call)
    return {"downstream_status": status}


@app.api_route("/boom", methods=READ)
async def boom():
    # The message names an internal path and a setting: neither may reach the client.
    raise RuntimeError("database at /srv/app/secrets.db refused: pool exhausted (SQLALCHEMY_POOL_SIZE=5)")


@app.api_route("/slow", methods=READ)
async def slow(ms: Annotated[int, Query(ge=0, le=120_000)] = 0):
    # The bounds are published: a client (or a schema-driven tester) never asks for a sleep the app would not do.
    await asyncio.sleep(ms / 1000)
    return {"slept_ms": ms}


@app.api_route("/compute", methods=READ)
async def compute(n: Annotated[int, Query(ge=0, le=2_000_000)] = 20_000):
    # CPU-bound on purpose (the worker-scaling benchmark): pure Python, holding
    # the event loop and the GIL, so only more processes can add throughput.
    total = 0
    for i in range(n):
        total += i * i % 7
    return {"n": n, "total": total}


@app.api_route("/echo/headers", methods=READ)
async def echo_headers(request: Request):
    # Authorization is redacted even here: the echo must never leak a credential.
    return {
        "headers": [[k, "[redacted]" if k.lower() == "authorization" else v] for k, v in request.headers.items()],
        "client": request.client.host if request.client else None,
        # What the app sees of the hop in front of it: the HTTP version and the peer's port (one per connection).
        "http_version": request.scope.get("http_version"),
        "client_port": request.scope.get("state", {}).get("peer", (None, None))[1],
    }


if "large-unbounded" in BROKEN:
    @app.api_route("/large", methods=READ)
    async def large_unbounded(kb: int = 256):
        # A page size passed straight to islice, capped only afterwards: islice refuses a stop past sys.maxsize.
        rows = ({"id": i, "name": "x" * 40, "tags": ["a", "b", "c"]} for i in itertools.count())
        return {"rows": list(itertools.islice(itertools.islice(rows, kb * 1024 // 80), 1024 * 1024 // 80))}
else:
    @app.api_route("/large", methods=READ)
    async def large(kb: Annotated[int, Query(ge=1, le=1024)] = 256):
        # At most 1 MiB, published as the bound: building a larger document could outlast the proxy's read timeout.
        row = {"id": 0, "name": "x" * 40, "tags": ["a", "b", "c"]}
        count = kb * 1024 // 80
        document = {"rows": [dict(row, id=i) for i in range(count)]}
        if "stream-large" in BROKEN:
            body = json.dumps(document).encode()
            chunks = (body[i:i + 4096] for i in range(0, len(body), 4096))
            return StreamingResponse(chunks, media_type="application/json")
        return document


@app.post("/crash")
async def crash():
    # Kills this worker mid-request, as the OOM killer or a segfault would (not
    # exit code 3 or 4: gunicorn reads those as boot errors and stops the master).
    os.kill(os.getpid(), signal.SIGKILL)


# --- the ASGI entry point ---------------------------------------------------
# The app server trusts no proxy itself (--forwarded-allow-ips ''): the peer of
# the connection is recorded first, for /echo/headers (what the app sees of the
# proxy→app hop: one port per upstream connection), and only then are nginx's
# X-Forwarded-For and X-Forwarded-Proto applied, exactly as uvicorn would.
class RecordPeer:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket") and scope.get("client"):
            scope.setdefault("state", {})["peer"] = tuple(scope["client"])
        await self.inner(scope, receive, send)


asgi = RecordPeer(ProxyHeadersMiddleware(app, trusted_hosts=os.environ.get("APP_TRUSTED_PROXIES", "127.0.0.1,::1")))

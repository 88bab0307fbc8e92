"""The compliant Flask app of layercheck's target matrix (WSGI, gunicorn sync workers).

It honours the same contract as the reference FastAPI app (complete Allow on
405, WWW-Authenticate on 401, no internals on 500, a request ID on every
response), in Flask's own idiom: JSON error handlers over Werkzeug's HTTP
exceptions, a decorator for auth, a few lines of CORS in after_request and a
WSGI middleware for the request ID. Each LAYERCHECK_BROKEN switch undoes
exactly one behaviour, so the app can serve as a negative control.

Run: gunicorn --workers 2 --bind 127.0.0.1:8000 --chdir targets/matrix/apps/flask app:app
"""

import functools
import hashlib
import hmac
import logging
import os
import re
import sqlite3
import sys
import tempfile
import uuid
from datetime import datetime, timezone
from urllib.parse import quote

from flask import Flask, g, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

BROKEN = frozenset(filter(None, os.environ.get("LAYERCHECK_BROKEN", "").split(",")))
KNOWN_BREAKS = {
    "allow-incomplete",  # a hand-written 405 that advertises only the read methods
    "www-authenticate-missing",  # 401 without the challenge RFC 9110 §11.6.1 requires
    "scope-unchecked",  # any valid token reaches admin routes
    "lenient-content-type",  # get_json(force=True): JSON parsed whatever the Content-Type says
    "first-error-only",  # 422 names only the first failing field
    "traceback",  # debug mode under gunicorn: Werkzeug's debugger page, traceback included, answers the 500
    "request-id-missing-on-errors",  # 5xx responses go out without the request ID
    "request-id-unvalidated",  # any client ID is echoed verbatim
    "no-trusted-host",  # TRUSTED_HOSTS unset: any Host header is served
    "logs-login-body",  # the login view logs the request body, password included
}
unknown = BROKEN - KNOWN_BREAKS
if unknown:
    # Exit code 3 is gunicorn's "worker failed to boot": the master stops instead of respawning forever.
    print(f"LAYERCHECK_BROKEN: unknown switch(es) {sorted(unknown)}; known: {sorted(KNOWN_BREAKS)}", file=sys.stderr)
    sys.exit(3)


class UtcIsoFormatter(logging.Formatter):
    def formatTime(self, record, datefmt=None):
        return datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds")


# One format for every line the app writes (stderr, which the stack appends to its app log).
_handler = logging.StreamHandler(sys.stderr)
_handler.setFormatter(UtcIsoFormatter("%(asctime)s pid=%(process)d %(message)s"))
logging.basicConfig(level=logging.INFO, handlers=[_handler])
access_log = logging.getLogger("app.access")

# Tokens come from the environment, never from a file: token -> scopes.
TOKENS = {
    os.environ.get("APP_USER_TOKEN", ""): {"read"},
    os.environ.get("APP_ADMIN_TOKEN", ""): {"read", "admin"},
}
TOKENS.pop("", None)

CORS_ORIGINS = {"https://app.example.com"}
CORS_METHODS = "GET, HEAD, POST, DELETE"
CORS_HEADERS = "Authorization, Content-Type, X-Request-ID"

# Heroku-like: 8–200 characters of a conservative alphabet, else regenerate.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:@+=/-]{8,200}$")
REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_ENVIRON = "app.request_id"


def choose_request_id(incoming):
    if incoming and ("request-id-unvalidated" in BROKEN or REQUEST_ID_PATTERN.match(incoming)):
        return incoming
    return str(uuid.uuid4())


class RequestIdMiddleware:
    """Outermost WSGI layer, so every answer below it carries the ID, and gets one log line.

    Flask's after_request would miss the answers Flask does not finish itself
    (the debugger's page in debug mode); a WSGI wrapper sees them all.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        request_id = choose_request_id(environ.get("HTTP_X_REQUEST_ID"))
        environ[REQUEST_ID_ENVIRON] = request_id
        # PATH_INFO is percent-decoded: re-quote it so a %0A in a URL cannot forge a log line.
        path = quote((environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")).encode("latin-1"), safe="/:@!$&'()*+,;=-._~")

        def start_response_with_id(status, headers, exc_info=None):
            code = int(status.split(" ", 1)[0])
            if not (code >= 500 and "request-id-missing-on-errors" in BROKEN):
                headers = [(k, v) for k, v in headers if k.lower() != "x-request-id"]
                headers.append((REQUEST_ID_HEADER, request_id))
            # Safe fields only: never bodies, query strings or Authorization.
            access_log.info("request_id=%s %s %s %s", request_id, environ["REQUEST_METHOD"], path, code)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_response_with_id)


class App(Flask):
    def log_exception(self, exc_info):
        # Flask's own line lacks the request ID: the one thing a user can quote us.
        self.logger.error(
            "request_id=%s unhandled exception in %s %s", g.get("request_id"), request.method, request.path, exc_info=exc_info,
        )


app = App(__name__)
app.config.update(
    # Werkzeug refuses bodies above this with 413 before a view reads them.
    MAX_CONTENT_LENGTH=1024 * 1024,
    # Flask ≥ 3.1 checks Host against these (any port) and answers 400 otherwise.
    TRUSTED_HOSTS=None if "no-trusted-host" in BROKEN else ["localhost", "127.0.0.1"],
)
if "traceback" in BROKEN:
    # The classic production mistake: debug on, and the debugger wired in because the dev server is not used.
    from werkzeug.debug import DebuggedApplication

    app.debug = True
    app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=False)
app.wsgi_app = RequestIdMiddleware(app.wsgi_app)


@app.before_request
def remember_request_id():
    g.request_id = request.environ[REQUEST_ID_ENVIRON]


@app.after_request
def add_cors_headers(response):
    # Every answer depends on Origin (granted or not), so caches must key on it.
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if origin not in CORS_ORIGINS:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Credentials"] = "true"
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        # A preflight: Flask's automatic OPTIONS answer (200, with Allow) carries the grant.
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
    else:
        response.headers["Access-Control-Expose-Headers"] = REQUEST_ID_HEADER
    return response


# --- errors ---------------------------------------------------------------

@app.errorhandler(HTTPException)
def http_error(error):
    """Werkzeug's HTTP errors as JSON, with their own headers (Allow on 405)."""
    if isinstance(error, MethodNotAllowed) and "allow-incomplete" in BROKEN:
        error.valid_methods = [m for m in error.valid_methods or [] if m in ("GET", "HEAD")]
    response = jsonify(error=error.name, message=error.description)
    response.status_code = error.code
    response.headers.extend((k, v) for k, v in error.get_headers() if k.lower() != "content-type")
    return response


@app.errorhandler(500)
def internal_error(error):
    # The exception is logged (log_exception) with the request ID; the client gets only the ID.
    return jsonify(error="Internal Server Error", request_id=g.get("request_id")), 500


# --- auth -----------------------------------------------------------------

def challenge(error=None, status=401, message="Not authenticated"):
    response = jsonify(error="Unauthorized" if status == 401 else "Forbidden", message=message)
    response.status_code = status
    if "www-authenticate-missing" not in BROKEN or status != 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="layercheck"' + (f", {error}" if error else "")
    return response


def token_scopes(token):
    # Compare digests, so the comparison time says nothing about the tokens' lengths.
    digest = hashlib.sha256(token.encode()).digest()
    for known, scopes in TOKENS.items():
        if hmac.compare_digest(hashlib.sha256(known.encode()).digest(), digest):
            return scopes
    return None


def requires(scope):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return challenge()
            scopes = token_scopes(token.strip())
            if scopes is None:
                return challenge('error="invalid_token"', message="Invalid token")
            if scope not in scopes and "scope-unchecked" not in BROKEN:
                return challenge(f'error="insufficient_scope", scope="{scope}"', status=403, message="Insufficient scope")
            g.scopes = scopes
            return view(*args, **kwargs)

        return wrapper

    return decorator


# --- bodies ---------------------------------------------------------------

class InvalidBody(Exception):
    def __init__(self, errors):
        self.errors = errors


@app.errorhandler(InvalidBody)
def invalid_body(error):
    errors = error.errors[:1] if "first-error-only" in BROKEN else error.errors
    return jsonify(errors=errors), 422


def json_object():
    """The request's JSON object: 422 when there is no body, 415 when it is not labelled JSON."""
    if not request.get_data(cache=True):
        raise InvalidBody([{"field": "body", "message": "a JSON body is required"}])
    # get_json() raises 415 for another Content-Type, 400 for malformed JSON.
    data = request.get_json(force="lenient-content-type" in BROKEN)
    if not isinstance(data, dict):
        raise InvalidBody([{"field": "body", "message": "must be a JSON object"}])
    return data


EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def validate_item(data):
    errors = []
    name, email, quantity, note = (data.get(k) for k in ("name", "email", "quantity", "note"))
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        errors.append({"field": "name", "message": "must be a string of 1 to 100 characters"})
    if not isinstance(email, str) or not EMAIL_PATTERN.match(email):
        errors.append({"field": "email", "message": "must be an email address"})
    if not is_int(quantity) or not 1 <= quantity <= 1000:
        errors.append({"field": "quantity", "message": "must be an integer from 1 to 1000"})
    if note is not None and not isinstance(note, str):
        errors.append({"field": "note", "message": "must be a string"})
    if errors:
        raise InvalidBody(errors)
    return {"name": name, "email": email, "quantity": quantity}


# --- storage --------------------------------------------------------------

# SQLite in the stack's state folder: every gunicorn worker sees the same items.
DATABASE = os.path.join(os.environ.get("APP_STATE_DIR") or tempfile.gettempdir(), "flask-items.sqlite")


def db():
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE, timeout=5)
        g.db.row_factory = sqlite3.Row
        g.db.execute("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, email TEXT, quantity INTEGER)")
    return g.db


@app.teardown_appcontext
def close_db(_error):
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


# --- routes ---------------------------------------------------------------
# Flask answers HEAD for every GET route and OPTIONS for every route itself.

@app.get("/health")
def health():
    return {"status": "ok"}


@app.get("/items")
def list_items():
    return jsonify([dict(row) for row in db().execute("SELECT * FROM items ORDER BY id")])


@app.post("/items")
def create_item():
    item = validate_item(json_object())
    with db() as connection:
        cursor = connection.execute("INSERT INTO items (name, email, quantity) VALUES (:name, :email, :quantity)", item)
    return {"id": cursor.lastrowid, **item}, 201


@app.get("/items/<int:item_id>")
def get_item(item_id):
    row = db().execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        return {"error": "Not Found", "message": "Item not found"}, 404
    return dict(row)


@app.delete("/items/<int:item_id>")
@requires("admin")
def delete_item(item_id):
    with db() as connection:
        connection.execute("DELETE FROM items WHERE id = ?", (item_id,))
    return "", 204


@app.get("/me")
@requires("read")
def me():
    return {"scopes": sorted(g.scopes)}


@app.get("/admin/stats")
@requires("admin")
def admin_stats():
    (count,) = db().execute("SELECT COUNT(*) FROM items").fetchone()
    return {"items": count}


@app.post("/login")
def login():
    if "logs-login-body" in BROKEN:
        app.logger.info("request_id=%s login attempt body=%s", g.request_id, request.get_data(as_text=True))
    data = json_object()
    errors = [
        {"field": field, "message": "must be a non-empty string"}
        for field in ("username", "password")
        if not isinstance(data.get(field), str) or not data[field]
    ]
    if errors:
        raise InvalidBody(errors)
    # Safe fields only: who tried (quoted, so it cannot break the line), never with what.
    app.logger.info("request_id=%s login attempt user=%s", g.request_id, ascii(data["username"][:40]))
    # No user store here: every attempt fails, as the reference app's does.
    return challenge(message="Invalid credentials")


@app.get("/boom")
def boom():
    # The message names an internal path and a setting: neither may reach the client.
    raise RuntimeError("database at /srv/app/secrets.db refused: pool exhausted (SQLALCHEMY_POOL_SIZE=5)")

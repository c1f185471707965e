"""The JSON API against its own OpenAPI schema, by schemathesis: requests generated from the schema (valid ones and
invalid ones, with schemathesis' boundary cases), run in-process against the application over a real ledger of the
sample corpus, linked (so claims answer too), with uploads accepted.

Every response must conform to the schema (status, content type, headers, body), no request may cause a server
error, a valid request must be accepted and an invalid one refused, and every response must carry the security
headers and every error the one error shape: JSON with a ``detail`` message. The run is bounded and repeatable: a
fixed seed, at most ``max-examples`` generated requests per operation, no example database.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from claimledger.serve.api import create_app
from claimledger.serve.filters import period
from claimledger.serve.security import SECURITY_HEADERS

sys.path.insert(0, str(Path(__file__).parent))
from serving import settings_for  # noqa: E402

TOKEN = "schemathesis-write-token"
CONFIG = {
    "seed": 20240518,
    "generation": {"max-examples": 30, "deterministic": True, "database": "none"},
    "phases": {"stateful": {"enabled": False}},
    # Any bytes are a valid upload by the schema; what is no article is refused with 422 (or 413 when too large).
    "operations": [{"include-path": "/api/articles", "include-method": "POST",
                    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", 413, 422]}}}],
}


@pytest.fixture(scope="module")
def api_schema(linked_ledger: Path, tmp_path_factory: pytest.TempPathFactory):
    """The schema of an application over a writable copy of the linked ledger (claims included), with a token:
    the upload is exercised too, authorised."""
    copy = tmp_path_factory.mktemp("schemathesis") / "ledger.db"
    copy.write_bytes(linked_ledger.read_bytes())
    app = create_app(settings_for(copy).with_overrides(max_document_mb=0.25), token=TOKEN)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=SchemathesisConfig.from_dict(CONFIG))

    @schema.hook
    def filter_query(ctx, query: dict | None) -> bool:
        # The one rule the schema cannot state: a date range must not end before it starts (the API says 422).
        days = [(query or {}).get(key) for key in ("since", "until")]
        try:
            return not (all(isinstance(day, str) for day in days) and period(days[0])[0] > period(days[1])[1])
        except ValueError:  # a date the schema does not allow either: a negative case, refused as it should be
            return True

    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis (4.32) names each operation's part of the test through the item's ``_nodeid``, an attribute
    pytest 9.2 no longer has: give it one to read and write."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


def secured_with_one_error_shape(ctx, response, case) -> None:
    """Every response carries the security headers; an error is JSON with a one-line message, ``{"detail": ...}``,
    and for invalid parameters ``errors``, one entry each."""
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name.lower()) == [value], (name, response.headers.get(name.lower()))
    if response.status_code < 400:
        return
    assert response.headers.get("content-type", [""])[0] == "application/json", response.headers
    error = response.json()
    assert isinstance(error.get("detail"), str) and error["detail"].strip() and "\n" not in error["detail"], error
    assert set(error) <= {"detail", "errors"}, error
    assert all(entry["loc"] and entry["msg"] for entry in error.get("errors") or ()), error


@schema.parametrize()
def test_api_conforms_to_its_schema(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"},
                           additional_checks=[secured_with_one_error_shape])

"""Writes webhook_vectors.json: HMAC-SHA256 signatures computed with Python's standard library,
outside the Rust code under test. Run from the repository root:

    python3 generator/tests/data/webhook_vectors.py
"""
import hashlib
import hmac
import json
import pathlib

CASES = [
    ("whsec_test_secret",
     '{"event_key":"lead.created","payload":{"lead":{"id":"11111111-1111-4111-8111-111111111111",'
     '"code":1024,"title":"Lead - Evento corporativo","status":1,"created_at":"2026-06-02T12:00:00.000Z",'
     '"updated_at":"2026-06-02T12:05:00.000Z"}}}'),
    ("another-secret", '{"event_key":"deal.won","payload":{"deal":{"id":"d-1","value":75000.5}}}'),
    ("s\u00e9cret-\u00fctf8", '{"event_key":"chat.message_received","payload":{"text":"Ol\u00e1 \U0001F44B"}}'),
    ("", "{}"),
]

vectors = [
    {
        "secret": secret,
        "body": body,
        "signature": hmac.new(secret.encode("utf-8"), body.encode("utf-8"), hashlib.sha256).hexdigest(),
    }
    for secret, body in CASES
]
out = pathlib.Path(__file__).with_name("webhook_vectors.json")
out.write_text(json.dumps({"generated_by": "generator/tests/data/webhook_vectors.py", "vectors": vectors},
                          indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

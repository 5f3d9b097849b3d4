from datetime import timedelta

import jwt
import pytest
from fours_devstack.keys import generate_pem_pair
from servicekit.auth import TokenVerifier, issue_token
from servicekit.errors import Unauthorized

CLAIMS = {"username": "li", "role": "sales_consultant", "employee_no": "S001", "team": "t1"}


def _verifier(*public: str) -> TokenVerifier:
    return TokenVerifier("".join(public), issuer="fours-gateway", audience="fours")


def test_token_signed_by_the_gateway_key_verifies_to_its_principal() -> None:
    private, public = generate_pem_pair()
    token = issue_token(private, subject="u1", claims=CLAIMS, ttl=timedelta(minutes=5))
    principal = _verifier(public).verify(token)
    assert (principal.subject, principal.role, principal.employee_no) == ("u1", "sales_consultant", "S001")


def test_during_key_rotation_tokens_of_the_old_and_the_new_key_verify() -> None:
    old_private, old_public = generate_pem_pair()
    new_private, new_public = generate_pem_pair()
    verifier = _verifier(new_public, old_public)
    for private in (old_private, new_private):
        assert (
            verifier.verify(issue_token(private, subject="u1", claims=CLAIMS, ttl=timedelta(minutes=5))).subject == "u1"
        )
    with pytest.raises(Unauthorized):
        _verifier(new_public).verify(issue_token(old_private, subject="u1", claims=CLAIMS, ttl=timedelta(minutes=5)))


@pytest.mark.parametrize("case", ["expired", "alg-none", "tampered", "refresh-typ", "wrong-audience"])
def test_bad_tokens_are_refused(case: str) -> None:
    private, public = generate_pem_pair()
    good = issue_token(private, subject="u1", claims=CLAIMS, ttl=timedelta(minutes=5))
    token = {
        "expired": lambda: issue_token(private, subject="u1", claims=CLAIMS, ttl=timedelta(seconds=-5)),
        "alg-none": lambda: jwt.encode(
            {**jwt.decode(good, options={"verify_signature": False})}, None, algorithm="none"
        ),
        "tampered": lambda: good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB"),
        "refresh-typ": lambda: issue_token(
            private, subject="u1", claims=CLAIMS, ttl=timedelta(minutes=5), typ="refresh"
        ),
        "wrong-audience": lambda: issue_token(
            private, subject="u1", claims=CLAIMS, ttl=timedelta(minutes=5), audience="x"
        ),
    }[case]()
    with pytest.raises(Unauthorized):
        _verifier(public).verify(token)

"""Ed25519 key pair for access tokens: the gateway signs with the private key, services verify."""

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def generate_pem_pair() -> tuple[str, str]:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def ensure_key_files(directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    private_file, public_file = directory / "jwt-private.pem", directory / "jwt-public.pem"
    if not private_file.exists() or not public_file.exists():
        private, public = generate_pem_pair()
        private_file.write_text(private)
        private_file.chmod(0o600)
        public_file.write_text(public)
    return private_file, public_file

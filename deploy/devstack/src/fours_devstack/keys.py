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


def main() -> None:
    """``python -m fours_devstack.keys DIR [--readable]``: make the key pair in DIR once.

    ``--readable`` leaves the private key readable by other users, for Docker Compose secrets that a
    container's non-root user reads through a bind mount.
    """
    import sys

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    private_file, public_file = ensure_key_files(Path(args[0] if args else "deploy/secrets"))
    if "--readable" in sys.argv:
        private_file.chmod(0o644)
    print(f"JWT keys: {private_file}, {public_file}")


if __name__ == "__main__":
    main()

"""`make bench`: runs every benchmark; each writes its own section of bench/RESULTS.md."""

from bench import delivery_flow

if __name__ == "__main__":
    delivery_flow.main()

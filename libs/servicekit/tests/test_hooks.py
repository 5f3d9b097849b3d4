from servicekit.hooks import Hook


async def test_reactions_run_in_the_order_connected_and_once_each() -> None:
    seen: list[str] = []
    merged: Hook[[str, str]] = Hook("customer merged")

    async def first(duplicate: str, survivor: str) -> None:
        seen.append(f"first {duplicate}->{survivor}")

    async def second(duplicate: str, survivor: str) -> None:
        seen.append(f"second {duplicate}->{survivor}")

    merged.connect(first)
    merged.connect(second)
    merged.connect(first)  # wiring twice (two apps in one process) reacts once
    await merged.fire("c2", "c1")
    assert seen == ["first c2->c1", "second c2->c1"]

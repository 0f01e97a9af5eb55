def panels(response) -> dict:
    """The 工作台's panels by key, whatever column they are in."""
    ctx = response.context
    return {p.key: p for p in [*ctx["top_panels"], *ctx["main_panels"], *ctx["side_panels"]]}

"""ECharts options built on the server (JSON only: the CSP forbids inline script, so formatters are
ECharts string templates, not functions). ``static/zs/app.js`` renders every ``[data-chart]``."""

from decimal import Decimal

MONTHS = [f"{m}月" for m in range(1, 13)]
BLUE, GREY, ORANGE, GREEN, RED, YELLOW = "#206bc4", "#b8c4d6", "#f76707", "#2fb344", "#d63939", "#f59f00"


def _f(values, upto: int = 12) -> list[float | None]:
    """Months 1..``upto`` as numbers; the months after it are left out of the line (None)."""
    return [float(v) if m <= upto else None for m, v in enumerate(values, 1)]


def monthly(series: dict, kind: str, label: str, *, upto: int = 12) -> dict:
    """This year's months 1..``upto`` (the period shown) beside all of last year's."""
    this, last = series[f"{kind}_this_year"], series[f"{kind}_last_year"]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": ["本月", "去年同月", "本年累计", "去年累计"], "top": 0},
        "grid": {"left": 60, "right": 60, "top": 36, "bottom": 30},
        "xAxis": {"type": "category", "data": MONTHS},
        "yAxis": [
            {"type": "value", "name": "当月（万美元）"},
            {"type": "value", "name": "累计", "splitLine": {"show": False}},
        ],
        "series": [
            {"name": "本月", "type": "bar", "data": _f(this["month"], upto), "itemStyle": {"color": BLUE}},
            {"name": "去年同月", "type": "bar", "data": _f(last["month"]), "itemStyle": {"color": GREY}},
            {
                "name": "本年累计",
                "type": "line",
                "yAxisIndex": 1,
                "data": _f(this["cumulative"], upto),
                "itemStyle": {"color": ORANGE},
                "smooth": True,
            },
            {
                "name": "去年累计",
                "type": "line",
                "yAxisIndex": 1,
                "data": _f(last["cumulative"]),
                "lineStyle": {"type": "dashed"},
                "itemStyle": {"color": GREY},
            },
        ],
        "title": {"show": False, "text": label},
    }


def completion(completion_pct: Decimal | None, schedule_pct: Decimal) -> dict:
    """The gauge of target completion, named with 序时进度 (M/12, or days elapsed in an incomplete month)."""
    value, schedule = float(completion_pct or 0), float(schedule_pct)
    return {
        "series": [
            {
                "type": "gauge",
                "min": 0,
                "max": 120,
                "progress": {"show": True, "width": 14},
                # a translucent track reads on the white page and on the wall display's navy alike
                "axisLine": {"lineStyle": {"width": 14, "color": [[1, "rgba(150, 170, 200, 0.3)"]]}},
                "splitNumber": 6,
                "pointer": {"show": False},
                # Narrow cards: the centre text needs the room the tick labels would take.
                "axisLabel": {"show": False},
                "axisTick": {"show": False},
                "splitLine": {"length": 6, "distance": 4, "lineStyle": {"width": 1, "color": "#c8d3e1"}},
                "detail": {"formatter": "{value}%", "fontSize": 22, "offsetCenter": [0, "-8%"]},
                "title": {"offsetCenter": [0, "22%"], "fontSize": 12},
                "data": [{"value": value, "name": f"序时进度 {schedule:.1f}%"}],
                "itemStyle": {"color": GREEN if value >= schedule else ORANGE},
            }
        ],
    }


def ranked_bar(rows: list[dict], *, name: str = "万美元", limit: int = 12) -> dict:
    rows = rows[:limit][::-1]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 110, "right": 40, "top": 10, "bottom": 20},
        "xAxis": {"type": "value", "name": name},
        "yAxis": {"type": "category", "data": [r["key"] for r in rows]},
        "series": [
            {
                "type": "bar",
                "data": [float(r["total"]) for r in rows],
                "itemStyle": {"color": BLUE},
                "label": {"show": True, "position": "right"},
            }
        ],
    }


# Pies name their slices in a legend under the chart and label them with short numbers only, so that no
# label is cut at the edge of a narrow card.
PIE_LEGEND = {"bottom": 0, "type": "scroll", "itemWidth": 12, "itemHeight": 12}
PIE_LABEL = {"formatter": "{d}%", "minMargin": 4}
PIE_LABEL_LINE = {"length": 6, "length2": 6}


def _empty(text: str) -> dict:
    return {
        "type": "text",
        "left": "center",
        "top": "middle",
        "style": {"text": text, "fill": "#9aa0ac", "fontSize": 14},
    }


def pie(rows: list[dict]) -> dict:
    data = [{"name": r["key"], "value": float(r["total"])} for r in rows if r["total"] > 0]
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} 万美元 ({d}%)"},
        "legend": PIE_LEGEND,
        "graphic": [] if data else [_empty("暂无数据")],
        "series": [
            {
                "type": "pie",
                "radius": ["35%", "60%"],
                "center": ["50%", "45%"],
                "label": PIE_LABEL,
                "labelLine": PIE_LABEL_LINE,
                "data": data,
            }
        ],
    }


def stages(by_stage: list[dict], by_light: dict) -> dict:
    return {
        "tooltip": {"trigger": "axis"},
        "graphic": [] if any(r["count"] for r in by_stage) else [_empty("暂无在库项目")],
        "grid": {"left": 40, "right": 20, "top": 20, "bottom": 30},
        "xAxis": {"type": "category", "data": [r["stage"] for r in by_stage]},
        "yAxis": {"type": "value", "name": "项目数"},
        "series": [
            {
                "type": "bar",
                "data": [r["count"] for r in by_stage],
                "itemStyle": {"color": BLUE},
                "label": {"show": True, "position": "top"},
            }
        ],
    }


def lights(by_light: dict) -> dict:
    empty = not any(by_light.get(k, 0) for k in ("green", "yellow", "red"))
    return {
        "tooltip": {"trigger": "item"},
        "legend": PIE_LEGEND,
        "graphic": [_empty("暂无在库项目")] if empty else [],
        "series": [
            {
                "type": "pie",
                "radius": ["40%", "68%"],
                "center": ["50%", "45%"],
                # With no project at all ECharts would draw three equal slices: draw nothing instead.
                "stillShowZeroSum": False,
                # The count on the ring itself; the colour's name is in the legend.
                "label": {"position": "inside", "formatter": "{c}", "color": "#fff", "show": not empty},
                "labelLine": {"show": False},
                "data": [
                    {"name": "绿灯", "value": by_light.get("green", 0), "itemStyle": {"color": GREEN}},
                    {"name": "黄灯", "value": by_light.get("yellow", 0), "itemStyle": {"color": YELLOW}},
                    {"name": "红灯", "value": by_light.get("red", 0), "itemStyle": {"color": RED}},
                ],
            }
        ],
    }

"""Small graph helpers on adjacency dicts (node → [successors])."""

from collections import deque


def find_path(adjacency: dict, start, goal) -> list | None:
    """The shortest path ``[start, …, goal]`` following the edges, or None."""
    if start == goal:
        return [start]
    previous = {start: None}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for nxt in adjacency.get(here, ()):
            if nxt in previous:
                continue
            previous[nxt] = here
            if nxt == goal:
                path = [nxt]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return path[::-1]
            queue.append(nxt)
    return None


def is_dag(adjacency: dict) -> bool:
    """Whether the edges have no cycle (Kahn's algorithm)."""
    nodes = set(adjacency) | {b for succ in adjacency.values() for b in succ}
    indegree = dict.fromkeys(nodes, 0)
    for succ in adjacency.values():
        for b in succ:
            indegree[b] += 1
    queue = deque(n for n, d in indegree.items() if d == 0)
    seen = 0
    while queue:
        here = queue.popleft()
        seen += 1
        for b in adjacency.get(here, ()):
            indegree[b] -= 1
            if indegree[b] == 0:
                queue.append(b)
    return seen == len(nodes)

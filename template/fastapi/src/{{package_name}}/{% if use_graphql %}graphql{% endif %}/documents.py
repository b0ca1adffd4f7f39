"""Operations already parsed and validated, by their text.

Clients send the same few over and over, and parsing and validating one again costs more
than running it. The schema and the limits never change while the app runs, so a text
valid once stays valid.
"""

from collections import OrderedDict

from graphql import DocumentNode

# (operationName, query): the limits measure the operation the name picks.
Key = tuple[str | None, str]


class ValidDocuments:
    """The most recent ``size`` valid operations.

    A text over ``longest`` characters is never kept: whatever clients send, it stays small.
    """

    def __init__(self, size: int = 500, longest: int = 16_384) -> None:
        self._size = size
        self._longest = longest
        self._entries: OrderedDict[Key, DocumentNode] = OrderedDict()

    def get(self, key: Key) -> DocumentNode | None:
        document = self._entries.get(key)
        if document is not None:
            self._entries.move_to_end(key)
        return document

    def add(self, key: Key, document: DocumentNode) -> None:
        if len(key[1]) > self._longest:
            return
        self._entries[key] = document
        self._entries.move_to_end(key)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)

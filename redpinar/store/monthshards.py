"""Documents filed by month and cut into small files, so a write costs the same however many came before.

<folder>/YYYY-MM/NNNN.json holds at most `size` documents. An index (kept current by file
signatures) says which file holds which id. Citizens' messages and online requests are filed this way.
"""
import copy
import json
import os
import re
import threading

from tinydb import Query

from . import db
from .errors import InvalidName, NotFound, StoreCorrupt
from .paths import data_path
from .storage import file_signature

MONTH_FOLDER = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
SHARD_FILE = re.compile(r"^\d{4}\.json$")
DOCUMENT_ID = re.compile(r"^[A-Za-z0-9-]{4,40}$")


class MonthShards:
    """One kind of document filed in data/<folder>/YYYY-MM/NNNN.json."""

    def __init__(self, folder, size=100, kept_files=64):
        """size: documents per file, or a function giving it (e.g. from the app's settings)."""
        self.folder = folder
        self._size = size
        self.kept = db.KeptParsed(kept_files)
        self._lock = threading.Lock()
        self._indexes = {}

    def size(self):
        """How many documents one file holds at most."""
        return self._size() if callable(self._size) else self._size

    def root(self):
        """The folder of every month."""
        return data_path(self.folder)

    def _index(self):
        root = os.path.realpath(self.root())
        with self._lock:
            return self._indexes.setdefault(root, {"lock": threading.Lock(), "shard_of": {}, "seen": {}})

    def months(self):
        """Names of the month folders, oldest first."""
        try:
            names = os.listdir(self.root())
        except FileNotFoundError:
            return []
        return sorted(name for name in names if MONTH_FOLDER.match(name))

    def shard_paths(self, month=None):
        """Every shard file (of one month, or all), oldest first."""
        paths = []
        for name in [month] if month else self.months():
            if not MONTH_FOLDER.match(name):
                raise InvalidName(f"not a month: {name!r}")
            folder = os.path.join(self.root(), name)
            try:
                files = sorted(f for f in os.listdir(folder) if SHARD_FILE.match(f))
            except FileNotFoundError:
                continue
            paths.extend(os.path.join(folder, f) for f in files)
        return paths

    def _current_shard(self, month):
        shards = self.shard_paths(month)
        if shards:
            last = shards[-1]
            with db.reading(last, self.kept) as tinydb:
                if len(tinydb) < self.size():
                    return last
            number = int(os.path.basename(last)[:4]) + 1
        else:
            number = 1
        return os.path.join(self.root(), month, f"{number:04d}.json")

    def insert(self, document, redraw=None):
        """Store a new document (with its id and dates) durably; returns it.

        With redraw (a function giving a new id), an id already in the file it joins or known to this
        process is drawn again. With about 40 random bits, a clash with an id written elsewhere since the
        last look is less likely than a disk error, so the whole archive is not read again for it.
        """
        if not DOCUMENT_ID.match(str(document.get("id", ""))):
            raise InvalidName(f"not a document id: {document.get('id')!r}")
        shard = self._current_shard(document["created"][:7])
        index = self._index()
        with db.transaction(shard, self.kept) as tinydb:
            ids = [stored["id"] for stored in tinydb.all()]
            while redraw and (document["id"] in ids or document["id"] in index["shard_of"]):
                document["id"] = redraw()
            tinydb.insert(document)
            ids.append(document["id"])
        with index["lock"]:
            for document_id in ids:
                index["shard_of"][document_id] = shard
        return document

    def _refresh(self, index):
        # A month folder whose modification time is unchanged holds no new or replaced shard.
        for month in self.months():
            folder = os.path.join(self.root(), month)
            try:
                folder_signature = os.stat(folder).st_mtime_ns
            except FileNotFoundError:
                continue
            if index["seen"].get(folder) == folder_signature:
                continue
            for shard in self.shard_paths(month):
                try:
                    signature = file_signature(os.stat(shard))
                except FileNotFoundError:
                    continue
                if index["seen"].get(shard) == signature:
                    continue
                for document_id in _ids_in(shard):
                    index["shard_of"][document_id] = shard
                index["seen"][shard] = signature
            index["seen"][folder] = folder_signature

    def shard_of(self, document_id):
        """The file that holds a document, or NotFound."""
        if not isinstance(document_id, str) or not DOCUMENT_ID.match(document_id):
            raise NotFound(document_id)
        index = self._index()
        with index["lock"]:
            shard = index["shard_of"].get(document_id)
            if shard is None:
                self._refresh(index)
                shard = index["shard_of"].get(document_id)
        if shard is None:
            raise NotFound(document_id)
        return shard

    def get(self, document_id):
        """One document by id, or NotFound."""
        with db.reading(self.shard_of(document_id), self.kept) as tinydb:
            found = tinydb.get(Query().id == document_id)
        if found is None:
            raise NotFound(document_id)
        return dict(found)

    def modify(self, document_id, modify):
        """Apply modify(copy) and store it under one lock; modify may raise to cancel. Returns the new version."""
        with db.transaction(self.shard_of(document_id), self.kept) as tinydb:
            current = tinydb.get(Query().id == document_id)
            if current is None:
                raise NotFound(document_id)
            changed = copy.deepcopy(dict(current))
            modify(changed)
            changed["id"], changed["created"] = current["id"], current["created"]
            changed["updated"] = db.utc_now()
            tinydb.update(lambda stored: (stored.clear(), stored.update(changed)), Query().id == document_id)
            return changed

    def all(self, month=None):
        """Every document (of one month, or all), oldest file first."""
        for shard in self.shard_paths(month):
            with db.reading(shard, self.kept) as tinydb:
                yield from (dict(document) for document in tinydb.all())

    def change_each(self, change, months_until=None):
        """Run change(document) -> bool on every document, rewriting only the files where one changed."""
        changed = 0
        for shard in self.shard_paths():
            if months_until and os.path.basename(os.path.dirname(shard)) > months_until:
                continue
            with db.transaction(shard, self.kept) as tinydb:
                for stored in tinydb.all():
                    document = copy.deepcopy(dict(stored))
                    if change(document):
                        tinydb.update(lambda kept, new=document: (kept.clear(), kept.update(new)),
                                      doc_ids=[stored.doc_id])
                        changed += 1
        return changed

    def import_many(self, documents):
        """Store many complete documents at once (benchmarks, restores): one write per file; returns how many."""
        by_month = {}
        for document in documents:
            by_month.setdefault(document["created"][:7], []).append(document)
        written = 0
        for month in sorted(by_month):
            pending = by_month[month]
            while pending:
                shard = self._current_shard(month)
                with db.transaction(shard, self.kept) as tinydb:
                    room = self.size() - len(tinydb)
                    batch, pending = pending[:room], pending[room:]
                    tinydb.insert_multiple(batch)
                written += len(batch)
        return written


def _ids_in(shard):
    try:
        with open(shard, "rb") as handle:
            tables = json.loads(handle.read() or b"{}")
    except FileNotFoundError:
        return []
    except ValueError as error:
        raise StoreCorrupt(shard, str(error)) from error
    return [document.get("id") for table in tables.values() for document in table.values()]

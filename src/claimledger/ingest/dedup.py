"""Exact and near-duplicate detection: normalized-text hashes and MinHash LSH over word shingles (datasketch)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Callable, Literal

from datasketch import LeanMinHash, MinHash, MinHashLSH

from claimledger.models import Article, normalize_text

_WORD = re.compile(r"\w+")


def text_hash(article: Article) -> str:
    """Hash of the normalized body: the same story with other markup, headline case or spacing hashes alike."""
    return hashlib.sha256(normalize_text(article.text).encode("utf-8")).hexdigest()


def shingles(text: str, size: int) -> set[bytes]:
    words = _WORD.findall(normalize_text(text))
    if len(words) < size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@dataclass(frozen=True)
class Verdict:
    kind: Literal["new", "exact", "near"]
    kept_id: str | None = None  # for duplicates: the article kept
    similarity: float = 1.0


class Deduplicator:
    """Remembers the kept articles and says, for each new one, whether it is new, an exact or a near duplicate.

    Near duplicates are LSH candidates whose exact shingle Jaccard is at or above the threshold: the MinHash
    estimate only proposes candidates, whose text ``fetch_text`` returns, so a hash collision decides nothing.
    Only signatures stay in memory (``permutations`` x 8 bytes an article), never the texts.
    """

    def __init__(self, threshold: float, shingle_size: int, permutations: int,
                 fetch_text: Callable[[str], str]) -> None:
        self.threshold = threshold
        self.shingle_size = shingle_size
        self.permutations = permutations
        self._fetch_text = fetch_text
        # A lower LSH threshold than the decision threshold, so candidates near the boundary are not missed.
        self._lsh = MinHashLSH(threshold=max(0.5, threshold - 0.15), num_perm=permutations)
        self._hashes: dict[str, str] = {}
        self._kept: set[str] = set()

    def signature(self, text: str) -> LeanMinHash:
        return self._minhash(shingles(text, self.shingle_size))

    def _minhash(self, grams: set[bytes]) -> LeanMinHash:
        minhash = MinHash(num_perm=self.permutations)
        minhash.update_batch(list(grams))
        return LeanMinHash(minhash)

    @staticmethod
    def to_bytes(signature: LeanMinHash) -> bytes:
        buffer = bytearray(signature.bytesize())
        signature.serialize(buffer)
        return bytes(buffer)

    @staticmethod
    def from_bytes(data: bytes) -> LeanMinHash:
        return LeanMinHash.deserialize(data)

    def remember(self, article_id: str, digest: str, signature: LeanMinHash) -> None:
        """Remember a kept article (already stored, or just judged new)."""
        self._hashes.setdefault(digest, article_id)
        if article_id not in self._kept:
            self._kept.add(article_id)
            self._lsh.insert(article_id, signature)

    def check(self, article: Article) -> tuple[Verdict, str, LeanMinHash | None]:
        """Classify ``article``; a new one is remembered. Returns the verdict, the text hash and the signature."""
        digest = text_hash(article)
        if article.id in self._kept:
            return Verdict("exact", article.id), digest, None
        if digest in self._hashes:
            return Verdict("exact", self._hashes[digest]), digest, None
        grams = shingles(article.text, self.shingle_size)
        signature = self._minhash(grams)
        best: tuple[float, str] | None = None
        for candidate in self._lsh.query(signature):
            other = shingles(self._fetch_text(candidate), self.shingle_size)
            jaccard = len(grams & other) / len(grams | other)
            if jaccard >= self.threshold and (best is None or (jaccard, candidate) > best):
                best = (jaccard, candidate)
        if best is not None:
            return Verdict("near", best[1], round(best[0], 4)), digest, signature
        self.remember(article.id, digest, signature)
        return Verdict("new"), digest, signature


__all__ = ["Deduplicator", "Verdict", "shingles", "text_hash"]

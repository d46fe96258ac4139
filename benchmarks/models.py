"""Real-size random-weight models for the benchmarks (the real configs, written out, with real-size tokenizers),
and the benchmark articles.

The hub is out of reach, so the weights are random; what matters for speed is that every matrix has the real
shape (d_model, layers, heads, FFN, vocabulary) and that an article tokenizes to as many tokens as it would
with a real tokenizer.  The tokenizers are therefore trained to the real vocabulary sizes here, on English
text found on this machine (man pages, /usr/share/doc, the Python standard library), not on the benchmark
articles, so news text meets them as unseen text, as it meets the real ones.

    python benchmarks/models.py            # builds into benchmarks/.models/ (reused when present)
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

HERE = Path(__file__).resolve().parent
MODELS_DIR = HERE / ".models"
#: bump to rebuild models left by an older version of this file
VERSION = 1

#: sshleifer/distilbart-cnn-12-6 config.json (transformers 5 drops its `normalize_before: false`)
DISTILBART = {
    "vocab_size": 50264, "d_model": 1024, "encoder_layers": 12, "decoder_layers": 6,
    "encoder_attention_heads": 16, "decoder_attention_heads": 16, "encoder_ffn_dim": 4096, "decoder_ffn_dim": 4096,
    "max_position_embeddings": 1024, "activation_function": "gelu", "scale_embedding": False,
    "bos_token_id": 0, "pad_token_id": 1, "eos_token_id": 2, "decoder_start_token_id": 2,
    "task_specific_params": {"summarization": {"early_stopping": True, "length_penalty": 2.0, "max_length": 142,
                                               "min_length": 56, "no_repeat_ngram_size": 3, "num_beams": 4}},
}
DISTILBART_GENERATION = {
    "bos_token_id": 0, "pad_token_id": 1, "eos_token_id": 2, "decoder_start_token_id": 2, "forced_bos_token_id": 0,
    "forced_eos_token_id": 2, "num_beams": 4, "min_length": 56, "max_length": 142, "length_penalty": 2.0,
    "no_repeat_ngram_size": 3, "early_stopping": True,
}
#: Helsinki-NLP/opus-mt-en-de config.json
OPUS_MT_EN_DE = {
    "vocab_size": 58101, "decoder_vocab_size": 58101, "d_model": 512, "encoder_layers": 6, "decoder_layers": 6,
    "encoder_attention_heads": 8, "decoder_attention_heads": 8, "encoder_ffn_dim": 2048, "decoder_ffn_dim": 2048,
    "max_position_embeddings": 512, "activation_function": "swish", "scale_embedding": True,
    "static_position_embeddings": True, "share_encoder_decoder_embeddings": True,
    "pad_token_id": 58100, "eos_token_id": 0, "decoder_start_token_id": 58100,
}
OPUS_MT_GENERATION = {
    "pad_token_id": 58100, "eos_token_id": 0, "decoder_start_token_id": 58100, "forced_eos_token_id": 0,
    "bad_words_ids": [[58100]], "num_beams": 4, "max_length": 512,
}


def training_lines(limit: float = 40e6) -> Iterator[str]:
    """About `limit` characters of (mostly English) text from this machine, in a fixed order."""
    sources = [
        (sorted(Path("/usr/share/man").glob("man*/*.gz")), _man_lines, 0.5),
        (sorted(Path("/usr/share/doc").rglob("*")), _doc_lines, 0.25),
        (sorted(Path(sysconfig.get_paths()["stdlib"]).rglob("*.py")), _doc_lines, 0.25),
    ]
    for paths, reader, share in sources:
        budget = limit * share
        for path in paths:
            if budget <= 0:
                break
            try:
                opener = gzip.open if path.suffix == ".gz" else open
                with opener(path, "rt", errors="ignore") as handle:
                    raw = handle.read()
            except (OSError, EOFError):
                continue
            if "\x00" in raw[:2000]:
                continue
            for line in reader(raw):
                budget -= len(line)
                yield line


def _man_lines(raw: str) -> Iterator[str]:
    """Man page text without the troff requests and font escapes."""
    for line in raw.splitlines():
        if line.strip() and not line.startswith((".", "'", '\\"')):
            yield re.sub(r"\\f[BIRP]|\\f\(..|\\\(..|\\&|\\e", "", line).replace("\\-", "-")


def _doc_lines(raw: str) -> Iterator[str]:
    return (line.strip() for line in raw.splitlines() if line.strip())


def build_distilbart(out: Path, lines: list[str]) -> dict:
    """distilbart-cnn-12-6 shapes, a byte-level BPE trained to its 50,264 entries."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer, GenerationConfig

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(lines, vocab_size=DISTILBART["vocab_size"], min_frequency=2, show_progress=False,
                            special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    out.mkdir(parents=True, exist_ok=True)
    bpe.save_model(str(out))
    trained = bpe.get_vocab_size()
    _pad_vocab(out / "vocab.json", DISTILBART["vocab_size"], last=None)
    tok = BartTokenizer(vocab=str(out / "vocab.json"), merges=str(out / "merges.txt"), model_max_length=1024)
    torch.manual_seed(2001)
    model = BartForConditionalGeneration(BartConfig(**DISTILBART))
    model.generation_config = GenerationConfig(**DISTILBART_GENERATION)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return {"tokenizer": "byte-level BPE", "trained_vocab": trained, "model_vocab": DISTILBART["vocab_size"]}


def build_opus_mt(out: Path, lines: list[str], work: Path) -> dict:
    """opus-mt-en-de shapes, a sentencepiece unigram model trained to 58,101 entries (Opus-MT layout)."""
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    size = OPUS_MT_EN_DE["vocab_size"]
    corpus = work / "corpus.txt"
    corpus.write_text("\n".join(lines), encoding="utf-8")
    # spm: <unk>, <s>, </s>, pieces; Opus-MT's vocab.json: </s>, <unk>, pieces, <pad> -- the same count
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(work / "spm"), model_type="unigram", vocab_size=size,
        input_sentence_size=2_000_000, shuffle_input_sentence=True, character_coverage=0.9995, num_threads=2,
        hard_vocab_limit=False, minloglevel=2, max_sentence_length=8192,
    )
    processor = spm.SentencePieceProcessor(model_file=str(work / "spm.model"))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        if piece not in ("<unk>", "<s>", "</s>", "<pad>"):
            vocab.setdefault(piece, len(vocab))
    trained = len(vocab) + 1
    out.mkdir(parents=True, exist_ok=True)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    _pad_vocab(out / "vocab.json", size, last="<pad>")
    for name in ("source.spm", "target.spm"):
        (out / name).write_bytes((work / "spm.model").read_bytes())
    tok = MarianTokenizer(source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"),
                          vocab=str(out / "vocab.json"), source_lang="en", target_lang="de", model_max_length=512)
    torch.manual_seed(2002)
    model = MarianMTModel(MarianConfig(**OPUS_MT_EN_DE))
    model.generation_config = GenerationConfig(**OPUS_MT_GENERATION)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return {"tokenizer": "sentencepiece unigram", "trained_vocab": trained, "model_vocab": size}


def _pad_vocab(path: Path, size: int, last: str | None) -> None:
    """Fill a vocab.json up to `size` (with `last`, e.g. Marian's <pad>, at the end) if training fell short."""
    vocab = json.loads(path.read_text(encoding="utf-8"))
    room = size - len(vocab) - (1 if last else 0)
    for i in range(max(0, room)):
        vocab[f"<unused{i}>"] = len(vocab)
    if last:
        vocab[last] = len(vocab)
    path.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")


def ensure_models(root: Path = MODELS_DIR) -> dict[str, Path]:
    """{"distilbart-cnn-12-6": folder, "opus-mt-en-de": folder}; built once, reused while VERSION holds."""
    import tempfile

    builders = {"distilbart-cnn-12-6": build_distilbart, "opus-mt-en-de": build_opus_mt}
    folders = {name: root / name for name in builders}
    missing = [n for n, f in folders.items() if _stamp(f).get("version") != VERSION]
    if missing:
        lines = list(training_lines())
        for name in missing:
            started = time.monotonic()
            print(f"building {name} (random weights, real size) …", flush=True)
            with tempfile.TemporaryDirectory() as work:
                args = (folders[name], lines) + ((Path(work),) if name == "opus-mt-en-de" else ())
                info = builders[name](*args)
            info.update(version=VERSION, training_chars=sum(map(len, lines)),
                        seconds=round(time.monotonic() - started, 1))
            (folders[name] / "BUILD.json").write_text(json.dumps(info, indent=1) + "\n")
    return folders


def ensure_tiny_models(root: Path = MODELS_DIR / "tiny") -> dict[str, Path]:
    """The test suite's tiny models (digest.testing.tiny_models), for the memory run."""
    from digest.testing.tiny_models import build_tiny_models

    wanted = ("bart", "opus-mt-en-de", "opus-mt-en-fr", "opus-mt-en-es")
    if all((root / name / "config.json").is_file() for name in wanted):
        return {name: root / name for name in wanted}
    return build_tiny_models(root)


def news_sentences() -> list[str]:
    """English sentences of the news articles kept in the repository (tests/data/corpus)."""
    from digest.inputs.article import ReadOptions
    from digest.inputs.discover import read_articles
    from digest.nlp.text import split_sentences

    corpus = HERE.parent / "tests" / "data" / "corpus"
    if not corpus.is_dir():
        corpus = Path("/work/shared/corpus")
    articles = [a for a in read_articles([corpus], ReadOptions()) if getattr(a, "language", None) == "en"]
    return [s for a in articles for s in split_sentences(a.text, "en") if 5 <= len(s.split()) <= 60]


def make_articles(folder: Path, n: int, tokenizer, low: int = 700, high: int = 1000) -> list[Path]:
    """`n` articles of low..high tokens of the summarization model's own tokenizer, by recombining sentences."""
    sentences = news_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    paths = []
    for i in range(n):
        rng, picked = random.Random(1000 + i), []
        target, pool = rng.randint(low + 50, high - 50), sentences[:]
        rng.shuffle(pool)
        while len(tokenizer(" ".join(picked)).input_ids) < target:
            picked.append(pool.pop())
        body = "\n\n".join(" ".join(picked[j : j + 4]) for j in range(0, len(picked), 4))
        assert low <= len(tokenizer(body).input_ids) <= high
        paths.append(folder / f"article-{i:02d}.txt")
        paths[-1].write_text(f"Benchmark article {i}\n\n{body}\n", encoding="utf-8")
    return paths


def read_body(path: Path) -> str:
    """The article text as digest reads it (first line: the title); checked equal in `prepare`."""
    return path.read_text(encoding="utf-8").split("\n", 2)[2].strip()


def title_of(path: Path) -> str:
    """The article's headline (its first line), which digest translates with the summary."""
    return path.read_text(encoding="utf-8").split("\n", 1)[0].strip()


def _stamp(folder: Path) -> dict:
    try:
        return json.loads((folder / "BUILD.json").read_text())
    except (OSError, ValueError):
        return {}


if __name__ == "__main__":
    for key, folder in ensure_models().items():
        print(f"{key:22s} {folder}  {_stamp(folder)}")

"""Beam search of LMIMNRTRDecoder on small random decoders: width 1 is
greedy decoding, wider beams lie between greedy and the optimum, and a
beam wide enough to keep every hypothesis finds the best sequence an
exhaustive search finds. (On the original's fixture weights:
tests/test_lmim_fidelity.py.)"""
import itertools

import pytest
import torch
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample
from test_lmim_helpers import forced_score, greedy_score


def tiny_decoder(tmp_path, max_seq_len, beam_width=0):
    """A random 1-layer decoder over the alphabet 'ab' (5 classes: a, b,
    BOS/EOS, PAD, UNK)."""
    dict_file = tmp_path / 'ab.txt'
    dict_file.write_text('a\nb\n')
    dictionary = dict(
        type='Dictionary',
        dict_file=str(dict_file),
        with_start=True,
        with_end=True,
        same_start_end=True,
        with_padding=True,
        with_unknown=True)
    decoder = MODELS.build(
        dict(
            type='LMIMNRTRDecoder',
            n_layers=1,
            d_embedding=16,
            n_head=2,
            d_k=8,
            d_v=8,
            d_model=16,
            d_inner=16,
            dropout=0.,
            beam_width=beam_width,
            max_seq_len=max_seq_len,
            postprocessor=dict(
                type='AttentionPostprocessor',
                ignore_chars=['padding', 'unknown']),
            dictionary=dictionary))
    # large random weights, so that each step depends on the tokens before
    # it and greedy decoding often misses the best sequence
    torch.manual_seed(105)
    for param in decoder.parameters():
        if param.dim() > 1:
            param.data.normal_(0, 0.5)
    return decoder.eval()


def every_sequence(decoder):
    """All outputs ``[M, T]``: EOS after 0..T-1 other tokens (PAD after
    it), or T tokens without EOS."""
    end, steps = decoder.dictionary.end_idx, decoder.max_seq_len
    pad = decoder.padding_idx
    others = [c for c in range(decoder.dictionary.num_classes) if c != end]
    rows = []
    for length in range(steps + 1):
        for body in itertools.product(others, repeat=length):
            row = list(body) + ([end] if length < steps else [])
            rows.append(row + [pad] * (steps - len(row)))
    return torch.tensor(rows)


def test_beams_between_greedy_and_the_exhaustive_optimum(tmp_path):
    decoder = tiny_decoder(tmp_path, max_seq_len=3)
    out_enc = torch.randn(8, 5, 16)
    sequences = every_sequence(decoder)
    assert len(sequences) == 1 + 4 + 16 + 64
    with torch.no_grad():
        best = torch.stack([
            forced_score(decoder, out_enc[i:i + 1].expand(
                len(sequences), -1, -1), sequences).max()
            for i in range(len(out_enc))
        ])
        # 4 classes besides EOS: at most 4 ** 2 open hypotheses before the
        # last step, so a beam of 16 never drops one
        ids, scores, token_logp = decoder.beam_search(out_enc, 16)
        assert torch.allclose(scores, best, atol=1e-5)
        assert torch.allclose(forced_score(decoder, out_enc, ids), scores,
                              atol=1e-5)
        assert torch.allclose(token_logp.sum(1), scores, atol=1e-5)

        greedy_ids, greedy = greedy_score(decoder, out_enc)
        ids, scores, _ = decoder.beam_search(out_enc, 1)
        assert torch.allclose(scores, greedy, atol=1e-5)
        # the same tokens up to EOS (greedy decoding goes on after it)
        end = decoder.dictionary.end_idx
        for beam_row, greedy_row in zip(ids.tolist(), greedy_ids.tolist()):
            stop = greedy_row.index(end) + 1 if end in greedy_row else None
            assert beam_row[:stop] == greedy_row[:stop]
        two = decoder.beam_search(out_enc, 2)[1]
        for width, scores in ((2, two), (4, decoder.beam_search(out_enc,
                                                                 4)[1])):
            assert (scores >= greedy - 1e-5).all(), width
            assert (scores <= best + 1e-5).all(), width
    # the search is not trivial here: greedy misses the optimum, and two
    # hypotheses do better than one
    assert (greedy < best - 1e-3).any()
    assert (two > greedy + 1e-3).any()


def test_beam_width_reaches_the_predictions(tmp_path):
    decoder = tiny_decoder(tmp_path, max_seq_len=4, beam_width=3)
    out_enc = torch.randn(4, 5, 16)
    samples = [TextRecogDataSample() for _ in range(4)]
    with torch.no_grad():
        ids, _, token_logp = decoder.beam_search(out_enc, 3)
        probs = decoder.forward_test(None, out_enc, samples)
        preds = decoder.predict(None, out_enc, samples)
    assert torch.equal(probs.argmax(-1), ids)
    assert torch.allclose(probs.max(-1).values, token_logp.exp())
    end = decoder.dictionary.end_idx
    for pred, row in zip(preds, ids.tolist()):
        row = row[:row.index(end)] if end in row else row
        text = ''.join('ab'[i] for i in row if i < 2)
        assert pred.pred_text.item == text
    with pytest.raises(ValueError, match='beam_width'):
        tiny_decoder(tmp_path, max_seq_len=4, beam_width=-1)

"""LMIM's transformer decoder (``tf_decoder``): NRTR's modules, the
original's masks, greedy decoding or beam search."""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmocr.models.textrecog.decoders import NRTRDecoder
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample


def causal_mask(length: int, device: torch.device) -> torch.Tensor:
    """``[1, T, T]`` bool, True where a query may attend to a key (<= it)."""
    return torch.ones(
        length, length, dtype=torch.bool, device=device).tril().unsqueeze(0)


@MODELS.register_module()
class LMIMNRTRDecoder(NRTRDecoder):
    """NRTR decoder that decodes as LMIM's ``tf_decoder``.

    The modules and parameter names are :class:`NRTRDecoder`'s (the
    original's ``tf_decoder`` has the same layout; ``lmim_to_mmocr.py``
    converts its checkpoints), the attention masks are the original's:

    - Training (teacher forcing on ``[BOS, c_1..c_n, EOS, PAD...]``): causal,
      over the first ``n + 1`` inputs (BOS and the characters), as the
      original's ``tgt_lens``; ``NRTRDecoder`` hides only PAD inputs. The
      two give the same logits at every position the loss counts.
    - Test: causal only, as the original's ``step + 1`` length: every token
      predicted so far is attended to (``NRTRDecoder`` would hide a predicted
      PAD). Decoding runs ``max_seq_len`` steps (the original's ``max_len``
      25) without stopping at EOS; the postprocessor cuts at the first EOS.
    - No source mask: the original attends to all ViT tokens
      (``NRTRDecoder`` derives one from ``valid_ratio``, which does not
      describe ViT tokens).

    With ``beam_width = k >= 1`` the test decoding is a beam search over
    sequences scored by the sum of their token log-probabilities (no length
    normalisation, as the original's ``--beam_width``); a hypothesis ends at
    EOS, hypotheses still open after ``max_seq_len`` steps compete as they
    are, and the search stops early once no open hypothesis can beat the
    best ended one. Unlike the original (``models/decoder.py``), each beam
    keeps its own token history when beams are reordered. ``k = 1`` gives
    the greedy result.

    Args:
        beam_width (int): 0 decodes greedily (the original's default),
            ``k >= 1`` runs a beam search of width ``k``. Defaults to 0.
        **kwargs: :class:`NRTRDecoder`'s arguments.
    """

    def __init__(self, beam_width: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        if not isinstance(beam_width, int) or beam_width < 0:
            raise ValueError(
                f'beam_width must be an int >= 0 (0 = greedy), got '
                f'{beam_width!r}')
        self.beam_width = beam_width

    def _decode(self, trg_seq: torch.Tensor, out_enc: torch.Tensor,
                trg_mask: torch.Tensor) -> torch.Tensor:
        """Decoder states ``[N, T, D]`` of the inputs ``trg_seq [N, T]``
        attending to ``out_enc [N, S, D]`` under ``trg_mask``."""
        x = self.dropout(self.position_enc(self.trg_word_emb(trg_seq)))
        for layer in self.layer_stack:
            x = layer(x, out_enc, self_attn_mask=trg_mask)
        return self.layer_norm(x)

    def forward_train(
            self,
            feat: Optional[torch.Tensor] = None,
            out_enc: torch.Tensor = None,
            data_samples: Sequence[TextRecogDataSample] = None
    ) -> torch.Tensor:
        """Teacher-forced logits.

        Args:
            feat: Unused.
            out_enc (Tensor): Encoder tokens ``[N, S, d_model]``.
            data_samples (list[TextRecogDataSample]): With
                ``gt_text.padded_indexes`` ``[T]`` (``BOS, chars, EOS,
                PAD...``, set by the module loss).

        Returns:
            Tensor: Raw logits ``[N, T, C]``; position ``t`` predicts input
            ``t + 1``.
        """
        trg_seq = torch.stack([
            sample.gt_text.padded_indexes for sample in data_samples
        ]).to(out_enc.device)
        length = trg_seq.size(1)
        # inputs are BOS + characters: everything before the first EOS
        # after position 0 (BOS and EOS share an index)
        is_end = trg_seq == self.dictionary.end_idx
        is_end[:, 0] = False
        num_inputs = torch.where(
            is_end.any(1),
            is_end.int().argmax(1),
            torch.full_like(is_end[:, 0], length, dtype=torch.long))
        positions = torch.arange(length, device=trg_seq.device)
        key_valid = positions[None] < num_inputs[:, None]
        trg_mask = causal_mask(length, trg_seq.device) & key_valid[:, None]
        return self.classifier(self._decode(trg_seq, out_enc, trg_mask))

    def greedy_logits(self, out_enc: torch.Tensor) -> torch.Tensor:
        """Raw logits ``[N, max_seq_len, C]`` of greedy decoding: each step
        feeds back the arg-max token, starting from BOS."""
        batch = out_enc.size(0)
        seq = torch.full((batch, self.max_seq_len + 1),
                         self.padding_idx,
                         dtype=torch.long,
                         device=out_enc.device)
        seq[:, 0] = self.start_idx
        mask = causal_mask(self.max_seq_len, out_enc.device)
        logits = []
        for step in range(self.max_seq_len):
            # with a causal mask, later inputs cannot change this position
            out = self._decode(seq[:, :step + 1], out_enc,
                               mask[:, :step + 1, :step + 1])
            step_logits = self.classifier(out[:, step])
            logits.append(step_logits)
            seq[:, step + 1] = step_logits.argmax(-1)
        return torch.stack(logits, dim=1)

    def beam_search(
        self, out_enc: torch.Tensor, beam_width: int
    ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The best sequence of each sample found by a beam search.

        Args:
            out_enc (Tensor): Encoder tokens ``[N, S, d_model]``.
            beam_width (int): Hypotheses kept per sample, >= 1.

        Returns:
            tuple: ``ids [N, max_seq_len]`` (ending at the first EOS, PAD
            after it), ``scores [N]`` (sum of the log-probabilities of the
            tokens up to and including EOS) and ``token_log_probs [N,
            max_seq_len]`` (0 after EOS).
        """
        batch, src_len, dims = out_enc.shape
        k, steps = beam_width, self.max_seq_len
        device = out_enc.device
        enc = out_enc.repeat_interleave(k, dim=0)
        seq = torch.full((batch * k, steps + 1),
                         self.padding_idx,
                         dtype=torch.long,
                         device=device)
        seq[:, 0] = self.start_idx
        token_logp = torch.zeros(batch * k, steps, device=device)
        # one open hypothesis (BOS) per sample to start from
        scores = torch.full((batch, k), -float('inf'), device=device)
        scores[:, 0] = 0.
        best_scores = torch.full((batch, ), -float('inf'), device=device)
        best_seq = seq.new_full((batch, steps), self.padding_idx)
        best_logp = torch.zeros(batch, steps, device=device)
        offsets = torch.arange(batch, device=device)[:, None] * k
        rows = torch.arange(batch, device=device)
        mask = causal_mask(steps, device)

        def keep_better(cand_scores: torch.Tensor) -> None:
            """Adopt, per sample, the best of ``cand_scores [N, k]`` if it
            beats the best ended hypothesis so far."""
            top, beam = cand_scores.max(1)
            better = top > best_scores
            src = (rows * k + beam)[better]
            best_scores[better] = top[better]
            best_seq[better] = seq[src, 1:]
            best_logp[better] = token_logp[src]

        for step in range(steps):
            out = self._decode(seq[:, :step + 1], enc,
                               mask[:, :step + 1, :step + 1])
            logp = F.log_softmax(self.classifier(out[:, step]).float(), -1)
            num_classes = logp.size(-1)
            cand = scores[..., None] + logp.view(batch, k, num_classes)
            scores, flat = cand.view(batch, -1).topk(k, dim=1)
            token = flat % num_classes
            src = (flat // num_classes + offsets).view(-1)
            seq, token_logp = seq[src], token_logp[src]
            seq[:, step + 1] = token.view(-1)
            token_logp[:, step] = logp[src, token.view(-1)]
            ended = token == self.dictionary.end_idx
            keep_better(scores.masked_fill(~ended, -float('inf')))
            scores = scores.masked_fill(ended, -float('inf'))
            # log-probabilities are <= 0: an open hypothesis only loses
            if bool((scores.max(1).values <= best_scores).all()):
                break
        else:
            keep_better(scores)
        return best_seq, best_scores, best_logp

    def forward_test(
            self,
            feat: Optional[torch.Tensor] = None,
            out_enc: torch.Tensor = None,
            data_samples: Optional[Sequence[TextRecogDataSample]] = None
    ) -> torch.Tensor:
        """Character probabilities ``[N, max_seq_len, C]``.

        Greedy: the softmax of :meth:`greedy_logits`. Beam search: at each
        step only the chosen token's entry is set, to its probability, so
        the arg-max reads the beam's sequence.
        """
        if not self.beam_width:
            return self.softmax(self.greedy_logits(out_enc))
        ids, _, token_logp = self.beam_search(out_enc, self.beam_width)
        probs = out_enc.new_zeros(*ids.shape, self.classifier.out_features)
        return probs.scatter_(2, ids[..., None],
                              token_logp.exp()[..., None].to(probs.dtype))

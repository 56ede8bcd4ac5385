"""Let MMOCR's inferencers run the pipelines of this package's configs.

MMOCR builds an inferencer's pipeline from ``test_dataloader.dataset.pipeline``
and removes what only a dataset can supply: ``LoadOCRAnnotations`` and the
``instances`` meta key. Our recognisers' test pipelines also pack ``lang``,
the language of the LMDB folder a sample comes from, by which
``MultilingualRecogMetric`` groups its scores. An image given to an
inferencer has no such folder, so packing would fail with ``KeyError:
'lang'``. :func:`apply` makes MMOCR drop ``lang`` the same way it drops
``instances``, so ``TextRecInferencer`` and ``MMOCRInferencer`` take our
configs unchanged while ``tools/test.py`` keeps the key on LMDB data.
"""
from mmocr.apis.inferencers.base_mmocr_inferencer import BaseMMOCRInferencer

#: Meta keys that only our datasets provide.
DATASET_META_KEYS = ('lang', )

_mmocr_init_pipeline = BaseMMOCRInferencer._init_pipeline


def _init_pipeline(self, cfg):
    """MMOCR's ``_init_pipeline`` after removing :data:`DATASET_META_KEYS`
    from the packing step's ``meta_keys``."""
    pack = cfg.test_dataloader.dataset.pipeline[-1]
    if 'meta_keys' in pack:
        pack['meta_keys'] = tuple(key for key in pack['meta_keys']
                                  if key not in DATASET_META_KEYS)
    return _mmocr_init_pipeline(self, cfg)


def apply() -> None:
    """Install the adapter on MMOCR's inferencers (idempotent)."""
    BaseMMOCRInferencer._init_pipeline = _init_pipeline

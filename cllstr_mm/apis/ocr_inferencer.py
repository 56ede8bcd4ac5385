"""MMOCR's detection + recognition inferencer, with pictures that draw every
CLL-STR script."""
from mmocr.apis import MMOCRInferencer
from mmocr.registry import VISUALIZERS


class MultilingualOCRInferencer(MMOCRInferencer):
    """``MMOCRInferencer`` whose detection + recognition pictures use
    ``MultilingualTextSpottingVisualizer``.

    MMOCR builds a matplotlib ``TextSpottingLocalVisualizer`` for this mode
    whatever the recogniser's config says, which draws missing-glyph boxes
    for most of the seven scripts and leaves Arabic unjoined. Arguments,
    outputs and the other modes are MMOCR's.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.mode.startswith('det_rec'):
            self.visualizer = VISUALIZERS.build(
                dict(
                    type='MultilingualTextSpottingVisualizer',
                    name=f'{self.visualizer.instance_name}-multilingual'))

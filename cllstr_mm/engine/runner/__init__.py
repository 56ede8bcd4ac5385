from .stream_resume_loop import StreamResumeIterBasedTrainLoop

__all__ = ['StreamResumeIterBasedTrainLoop']

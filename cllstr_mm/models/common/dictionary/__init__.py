from .multilingual_dictionary import (MLT19_CHARSET, MultilingualDictionary,
                                      build_charset, build_dictionary,
                                      read_charset, write_charset)

__all__ = [
    'MLT19_CHARSET', 'MultilingualDictionary', 'build_charset',
    'build_dictionary', 'read_charset', 'write_charset'
]

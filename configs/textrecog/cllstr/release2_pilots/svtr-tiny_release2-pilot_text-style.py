# Pilot: the release dictionary and text in the release-2 looks (clean
# born-digital words, photo backgrounds, two-tone, outlines, shadows, uneven
# light, tight and loose crops, more font families) and STRAug operations on
# one crop in two: the release-2 config's own recipe.
_base_ = ['_base_pilot.py']

# Sourced by make_bundled_data.sh (which draws data/cllstr_mini from these
# word lists) and quickstart.sh (whose scene check reads words from them).
# The most frequent words of each script, few enough that a tiny model sees
# every character often: about 100 label tokens per script (40 for LAT).
# shellcheck disable=SC2034  # used by the scripts that source this file
BUNDLED_VOCAB="ARA=300 BEN=150 CHI=100 HIN=200 JPN=150 KOR=100 LAT=1000"

# Self-test scenario: fails on an assertion.
assert_eq "deliberate mismatch" 1 2

# Self-test scenario: never ends; the runner's timeout must stop it.
sleep 1000

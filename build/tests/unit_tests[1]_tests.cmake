add_test([=[Smoke.FormatsAmount]=]  /work/main/build/tests/unit_tests [==[--gtest_filter=Smoke.FormatsAmount]==] --gtest_also_run_disabled_tests)
set_tests_properties([=[Smoke.FormatsAmount]=]  PROPERTIES WORKING_DIRECTORY /work/main/build/tests SKIP_REGULAR_EXPRESSION [==[\[  SKIPPED \]]==])
set(  unit_tests_TESTS Smoke.FormatsAmount)

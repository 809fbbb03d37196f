package io.rangestreams.tck.selftest;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a certification of a deliberately broken backend only inside {@link TckSelfTest}'s engine
 * run, which sets the configuration parameter {@value #PARAMETER}; anywhere else (an IDE running
 * every class) it is skipped, since failing is what it is for.
 */
final class OnlyWhenSelfTesting implements ExecutionCondition {

    static final String PARAMETER = "rangestreams.tck.selftest";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getConfigurationParameter(PARAMETER).map(Boolean::parseBoolean).orElse(false)
                ? ConditionEvaluationResult.enabled("self-test run")
                : ConditionEvaluationResult.disabled("deliberately broken backend: runs only in TckSelfTest");
    }
}

/**
 * Floor for the whole-synth row: the three toolchains on empty apps in one process (an empty CDK
 * stack, an empty cdk8s chart, an empty Pulumi program under mocks).
 */
import './empty-cdk';
import './empty-cdk8s';
import './empty-pulumi';

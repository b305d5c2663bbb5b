/**
 * Floor for the cdk8s row: cdk8s synthesizing an empty chart. Like any cdk8s app it writes to
 * CDK8S_OUTDIR (the bench points it at bench/runs/).
 */
import { App, Chart } from 'cdk8s';

const app = new App();
new Chart(app, 'bench-empty');
app.synth();

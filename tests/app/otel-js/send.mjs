// Sends GenAI spans to a tokenledger collector with the OpenTelemetry
// JavaScript SDK's own OTLP/HTTP exporters (protobuf or JSON), as an
// instrumented agent would, and prints what the exporter reported.
//   node send.mjs BASE_URL proto|json COUNT [PREFIX] [TOKEN]
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SpanStatusCode } from '@opentelemetry/api';

const [base, encoding, countText, prefix = 'sdk', token] = process.argv.slice(2);
const count = Number(countText);
const memory = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': `${prefix}-agent`, team: 'platform' }),
  spanProcessors: [new SimpleSpanProcessor(memory)],
});
const tracer = provider.getTracer('tokenledger-test');
const start = Date.UTC(2026, 10, 2, 9, 0, 0);
for (let i = 0; i < count; ++i) {
  const span = tracer.startSpan('chat gpt-4o', {
    startTime: new Date(start + i * 1000),
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.id': `${prefix}-${i}`,
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 100,
      'gen_ai.conversation.id': `${prefix}-task-${i % 7}`,
    },
  });
  if (i % 10 === 9) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(new Date(start + i * 1000 + 800));
}
// A tool span without token usage: skipped by the collector, not rejected.
tracer.startSpan('execute_tool search', { attributes: { 'gen_ai.operation.name': 'execute_tool' } }).end();

const headers = token ? { Authorization: `Bearer ${token}` } : {};
const Exporter = encoding === 'json' ? JsonExporter : ProtoExporter;
const exporter = new Exporter({ url: `${base}/v1/traces`, headers, compression: 'gzip' });
exporter.export(memory.getFinishedSpans(), (result) => {
  console.log(JSON.stringify({ code: result.code, error: result.error ? String(result.error) : null }));
  exporter.shutdown().then(() => process.exit(result.code === 0 ? 0 : 1));
});

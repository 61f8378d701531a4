package record

// SampleBatch exposes the test batch to the external test package.
var SampleBatch = sampleBatch

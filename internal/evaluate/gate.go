package evaluate

import "context"

// endSidesGated ends the processes of s, which validated, after the gate
// between validation and timing (run) gave the candidate the verdict gst:
// processes that end well leave the verdict to gst, one that ends
// otherwise gives its own.
func (e *Evaluator) endSidesGated(ctx context.Context, s *sides, gst step, out *Outcome) error {
	s.cand.d.s.finished, s.ref.d.s.finished = true, true
	status, detail, err := e.endSides(ctx, s, stepOK)
	return gated(status, detail, err, gst, out)
}

// endGated is endSidesGated for the one process of the paper's protocol.
func (e *Evaluator) endGated(ctx context.Context, d *driverRun, gst step, out *Outcome) error {
	d.s.finished = true
	status, detail, err := e.end(ctx, d, stepOK)
	return gated(status, detail, err, gst, out)
}

// gated sets out's verdict from how the processes ended (status and
// detail, or err) and the gate's verdict gst: processes that ended well
// leave the verdict to gst.
func gated(status Status, detail string, err error, gst step, out *Outcome) error {
	if err != nil {
		return err
	}
	if status == Correct {
		status, detail = gst.status, gst.detail
	}
	out.Status, out.Detail = status, detail
	return nil
}

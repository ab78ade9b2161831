/*
 * libFuzzer harness for the PDF signature locator (sig/pdf.c, sig/pdfsig.c).
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Ifcgi \
 *       -o fuzz_pdfsig tests/fuzz/fuzz_pdfsig.c fcgi/sig/pdf.c fcgi/sig/pdfsig.c \
 *       fcgi/domain/timeutil.c -lz
 *   ./fuzz_pdfsig -max_total_time=60 -max_len=65536 CORPUS_DIR
 * With -DFUZZ_WRITE_SEEDS and no libFuzzer (plain main), it writes seed PDFs made
 * with tests/sig/pdfbuild.h into the directory given as argument.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sig/pdf.h"
#include "sig/pdfsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdfsig_list l;

	if (pdfsig_find(data, size, &l) == 0) {
		/* what the verifier will do with the result must be safe too */
		for (size_t i = 0; i < l.n; i++) {
			const struct pdfsig_sig *s = &l.sigs[i];

			if (s->byte_range_ok && (s->signed_len > size ||
			    (uint64_t)s->byte_range[1] > (uint64_t)s->byte_range[2] ||
			    s->bytes_after != size - s->signed_len))
				__builtin_trap();
		}
	}
	pdfsig_list_free(&l);
	return 0;
}

#ifdef FUZZ_WRITE_SEEDS
#include "../sig/pdfbuild.h"

static void
save(const char *dir, const char *name, const struct pdfb *b)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) != NULL) {
		fwrite(b->s, 1, b->n, f);
		fclose(f);
	}
}

int
main(int argc, char **argv)
{
	struct pdfb b;

	if (argc != 2)
		return 2;
	pb_init(&b, NULL, 0, 0);
	pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>");
	pb_obj(&b, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
	pb_obj(&b, 3, "<< /Type /Page /Parent 2 0 R /Annots [5 0 R] >>");
	pb_stream(&b, 4, "", "BT ET", 5);
	pb_obj(&b, 5, "<< /FT /Sig /T (S) /V 6 0 R /Subtype /Widget /P 3 0 R >>");
	pb_sig(&b, 6, "adbe.pkcs7.detached", "D:20250304080000+07'00'", 4);
	pb_xref(&b, "/Root 1 0 R");
	pb_fix_byterange(&b);
	save(argv[1], "classic.pdf", &b);
	pb_obj(&b, 4, "<< /Length 3 >>");
	pb_obj(&b, 7, "<< /FT /Sig /T (T) /V 8 0 R /Subtype /Widget /P 3 0 R >>");
	pb_sig(&b, 8, "ETSI.CAdES.detached", "D:2025", 4);
	pb_xref(&b, "/Root 1 0 R");
	pb_fix_byterange(&b);
	save(argv[1], "incremental.pdf", &b);
	free(b.s);
	return 0;
}
#endif

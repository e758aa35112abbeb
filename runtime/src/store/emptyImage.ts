/**
 * An empty database at the current schema, made by running every migration (schema.ts) and kept
 * here deflated (1.3 kB of a 64 kB file of mostly empty pages). In a fresh process, running the
 * migrations cost ~100 ms of CPU (SQLite's wasm executing ALTER TABLE's code for the first time):
 * most of the checkpoint that ends a one-sample `doteval run`, which creates the file of a new
 * evaluation. Opening this image costs ~2 ms.
 *
 * test/store/emptyImage.test.ts checks that it has exactly the schema the migrations produce, and
 * prints the new value when a migration is added; an image older than the schema is still correct,
 * only slower (file.ts applies the missing migrations to it).
 */
export const emptyImageDeflatedBase64 =
	'7dpNbxtFGMDx2SS1u85bhRRZVak0bQ80kgNEVU+oKibZlgiTUMdR20NZtvbYWer1urvjNoETaauqUrlw42PwDeiBQ5G4cucG34Aj2rUT79pOAlJB1P3/pMTe2RdnnueZmazWmzdKrlay7geeo+UlcUoYhvhQSiGEIYQ4JYTICSEmettToi/azoqjGeLd73+YnfxdzE68FPPG/IuZP+Z+nv5i5sfpE9lvzRfZ0sTLqZfmd+Zz87l40z3+ai6bP3fOeHZVO3ebKnS8dlOF9oPL/XfzK2WrWLFkpfhRyZL9dnkxZ5puTa6tV6zrVll+Vl77tFi+LT+xbhdypqkeOM2Oo12/ZScOWt+oyPWtUkmWrWtW2VpfsTZl/8jwoltblBvrctUqWRVLrhQ3V4qrViH+oJ2hi0TtOnCd5vDlV61rxa1SRb4fHRP4D+0vQ78lK9atSursduB7bR23R5ueX1NNO1Bh22+F6qBZBYEf2Hq3Pdi09/ZsNn/2rPF4uhs91fBUS4f7r3PpyPVa47i94uiEqjEyOr1sDe+TbScM1cEnF2TdcZvJ7biDiYacaSYSLC+mOlCIOreYMxflzbXKxxtbFVneuLm2evIn8Vv+zBnj2ZVkcfVe0mV1vtd6/rWqqidiLht38OaYdvDfGTZeFKPGYGuoneq9g7aB+syZpqO18to6HNmfu071nl+v214oy1axlNp3v6M6qmY7Ot4VDwvtBDrdVHdbbridbotP3L9k1NB0tGpVd5NNntJOzdFOP1L9iKSaqk51W9WOCrn0O7rd6Yd1a33txpY1NNTc2k5BxvmLRtzVmUx+c8kQbqumdsL7TVcr2+loP962E6fW3WjaXh5smd27nMvmT582HlvdGq76gQq7v6fT81fcFpdvt5aPK9BexR9enH5QG5nMluOp4aKL/nB1EPd4Kx3h4ZLxlA7cajh8rdFZS01wB30sSD+oDU9uuV/FL9HYfxqOGPvmqDXz/zHyB0b1pflM/vq5pflMvnjmsCraX/OXe29O7b01nc0vLRmPuvPeYE0Nbs+kojG494j1MJmQf9r/6Nr2PbWbTr7sDqqj1sb0JBh2PM8Jdvshy5mF/aXcDttOa//8xfk/xXt/P4a529lMfnnB+DreHXRaoX13NzFeo5aTvbitra9at+TwMVHHo9aBKWJx786JbH5hwXhyNk5PdEj0k0mloXvif1mRHbd2aDLa7uipINSO7owYwIkZfNRpydk8MR88dJrN1OTt7Nhuy6433cZ26sBQB45Wjd0R61/OXHwnk8l/sHBYpuM8LUe/s48+n8zmL1wwnk4OjJPEEAmnDhkdx2Znp60CN67D47JzcOQR2Yk+2B7M0OGzcTS8RqblFaar4Wq76nue218Tj0hMPLl1Wtr1lP1ABaE76oBo0g+Vtutuq6GCduC2+tfWvu7/T5RagJORLshepKIl4fJUJr924fjVN7Xwhie+uWLEdbFX7NZFPz+JtxPpuujvOKYuhvOVGGeqva08FRz7v181UM4hCYu6PXFkt/t/qr2c2JgUQpyMbjpnRe8uHwAAAAAAjK0c9/8AAAAAAIw9nv8DAAAAADD+eP4PAAAAAMD44/k/AAAAAADjj+f/AAAAAABw/w8AAAAAAF5/fP8fAAAAAIA3hiGEMAkDAAAAAADjie//AwAAAAAw/vj+PwAAAAAA44/n/wAAAAAAcP8PAAAAAABef3z/HwAAAACA8cfzfwAAAAAAxt9f';
